import { after, before, describe, it } from 'node:test'
import assert from 'node:assert/strict'
import { randomBytes } from 'node:crypto'
import { decodeJwt } from 'jose'
import { openRedisCache } from '@app/kit/cache'
import type { RedisCache } from '@app/kit/cache'
import { openPostgres, quoteIdent } from '@app/kit/db'
import { createLogger } from '@app/kit/log'
import { serviceUrlVariable, startService } from '@app/kit/service'
import type { RunningService } from '@app/kit/service'
import { deleteCacheKeys, openTestBackends, startTcpProxy, testEnv, uniqueName, waitFor } from '@app/kit/testing'
import type { TcpProxy, TestBackends } from '@app/kit/testing'
import { gatewayService } from '@app/gateway'
import type { Platform } from '@app/platform'
import { startPlatformOnFreePorts } from './helper.ts'

const PASSWORD = 'correct horse battery'
const NEW_PASSWORD = 'staple gun kangaroo'
const ADMIN = { email: `admin.${randomBytes(4).toString('hex')}@example.com`, password: 'admin passphrase for tests' }
// The promise of the API: a revoked session's access token is refused within 5 s at every gateway.
const WITHIN_MS = 5000

type Reply = { status: number, body: any }

/**
 * The platform with a second gateway in front of the same services. With
 * REDIS_URL set, every service reaches Redis through a proxy that the tests
 * cut: revocations must hold without it.
 */
describe('revoked sessions at two gateway instances, with Redis unreachable', () => {
  const s = {} as { backends: TestBackends, proxy?: TcpProxy, cache?: RedisCache, platform: Platform, second: RunningService, gateways: string[] }
  const prefix = `${uniqueName('revocation')}:`

  before(async () => {
    s.backends = await openTestBackends()
    if (process.env.REDIS_URL) {
      const redis = new URL(process.env.REDIS_URL)
      s.proxy = await startTcpProxy(redis.hostname, Number(redis.port || 6379))
      s.cache = await openRedisCache({ url: s.proxy.url(process.env.REDIS_URL), prefix, commandTimeoutMs: 300 })
    }
    const env = testEnv(s.backends, { USER_ARGON2_MEMORY_KIB: '1024', USER_ARGON2_TIME_COST: '1', ADMIN_EMAIL: ADMIN.email, ADMIN_PASSWORD: ADMIN.password })
    const shared = {
      ...(s.backends.cluster ? { cluster: s.backends.cluster } : {}),
      cache: s.cache ?? s.backends.cache.cache,
      bus: s.backends.bus.bus
    }
    const log = createLogger(process.env.TEST_LOG_LEVEL ?? 'silent')
    s.platform = await startPlatformOnFreePorts({ env, log, shared })
    const urls = Object.fromEntries([...s.platform.services].filter(([name]) => name !== 'gateway').map(([name, running]) => [serviceUrlVariable(name as never), running.url]))
    s.second = await startService(gatewayService, { env: { ...env, ...urls }, shared, log, port: 0 })
    s.gateways = [s.platform.gatewayUrl, s.second.url]
    s.proxy?.cut()
  })
  after(async () => {
    const schemas = [...s.platform.services.values()].map(r => r.ctx.db).filter(db => db.kind === 'postgres' && db.schema).map(db => db.schema)
    await s.second?.close()
    await s.platform?.close()
    if (schemas.length > 0) {
      const db = openPostgres({ url: process.env.DATABASE_URL!, schema: 'public', poolSize: 1 })
      for (const schema of schemas) await db.query(`drop schema if exists ${quoteIdent(schema)} cascade`)
      await db.close()
    }
    await s.cache?.close()
    await s.proxy?.close()
    if (process.env.REDIS_URL) await deleteCacheKeys(process.env.REDIS_URL, prefix)
    await s.backends?.cleanup()
  })

  async function call (method: string, path: string, body?: unknown, token?: string, gateway = s.gateways[0]!): Promise<Reply> {
    const res = await fetch(`${gateway}${path}`, {
      method,
      headers: { ...(body === undefined ? {} : { 'content-type': 'application/json' }), ...(token ? { authorization: `Bearer ${token}` } : {}) },
      body: body === undefined ? null : JSON.stringify(body)
    })
    const text = await res.text()
    return { status: res.status, body: text ? JSON.parse(text) : undefined }
  }

  async function register (): Promise<{ id: string, email: string }> {
    const email = `rev.${randomBytes(5).toString('hex')}@example.com`
    const res = await call('POST', '/api/v1/users/register', { email, password: PASSWORD })
    assert.equal(res.status, 201, JSON.stringify(res.body))
    return { id: res.body.id, email }
  }
  async function login (email: string, password = PASSWORD): Promise<{ accessToken: string, refreshToken: string }> {
    const res = await call('POST', '/api/v1/auth/login', { email, password })
    assert.equal(res.status, 200, JSON.stringify(res.body))
    return res.body
  }

  /** Both gateways let the token through now. */
  async function acceptedEverywhere (token: string): Promise<void> {
    for (const gateway of s.gateways) assert.equal((await call('GET', '/api/v1/users/me', undefined, token, gateway)).status, 200, `accepted at ${gateway}`)
  }

  /** Both gateways answer 401 within 5 s of `since`, and keep refusing. */
  async function refusedEverywhere (token: string, since: number): Promise<void> {
    await Promise.all(s.gateways.map(async (gateway) => {
      const refused = await waitFor(async () => (await call('GET', '/api/v1/users/me', undefined, token, gateway)).status === 401, WITHIN_MS, 100).then(() => Date.now() - since, () => undefined)
      assert.ok(refused !== undefined && refused <= WITHIN_MS, `still accepted at ${gateway} ${WITHIN_MS} ms after the revocation`)
      const again = await call('GET', '/api/v1/users/me', undefined, token, gateway)
      assert.equal(again.status, 401)
      assert.equal(again.body.code, 'unauthorized')
    }))
  }

  it('is running without Redis when Redis is configured', { skip: !process.env.REDIS_URL && 'needs REDIS_URL' }, async () => {
    const ready = await waitFor(async () => {
      const res = await fetch(`${s.platform.services.get('auth')!.url}/readyz`)
      const body = await res.json() as { checks: Record<string, string> }
      return body.checks.cache === 'degraded' && body
    })
    assert.ok(ready)
  })

  it('a logged-out session', async () => {
    const { email } = await register()
    const pair = await login(email)
    await acceptedEverywhere(pair.accessToken)
    const res = await call('POST', '/api/v1/auth/logout', { refreshToken: pair.refreshToken })
    assert.equal(res.status, 204)
    await refusedEverywhere(pair.accessToken, Date.now())
  })

  it('every session after logout-all', async () => {
    const { email } = await register()
    const pairs = [await login(email), await login(email)]
    for (const pair of pairs) await acceptedEverywhere(pair.accessToken)
    assert.equal((await call('POST', '/api/v1/auth/logout-all', undefined, pairs[0]!.accessToken, s.gateways[1])).status, 204)
    const at = Date.now()
    for (const pair of pairs) await refusedEverywhere(pair.accessToken, at)
  })

  it('every session after a password reset (the password service ends them through auth\'s internal route)', async () => {
    const { email } = await register()
    const pair = await login(email)
    await acceptedEverywhere(pair.accessToken)
    assert.equal((await call('POST', '/api/v1/password/forgot', { email })).status, 202)
    const mail = await waitFor(async () => {
      const inbox = await call('GET', `/dev/inbox?to=${encodeURIComponent(email)}`)
      return inbox.body.items.find((m: { subject: string }) => m.subject?.startsWith('Reset'))
    })
    const token = new URL(/https?:\/\/\S+/.exec(mail.text)![0]).searchParams.get('token')!
    assert.equal((await call('POST', '/api/v1/password/reset', { token, newPassword: NEW_PASSWORD })).status, 204)
    await refusedEverywhere(pair.accessToken, Date.now())
    await login(email, NEW_PASSWORD)
  })

  it('a session the user ended from another one (DELETE /api/v1/auth/sessions/{id})', async () => {
    const { email } = await register()
    const keep = await login(email)
    const lost = await login(email)
    await acceptedEverywhere(lost.accessToken)
    const res = await call('DELETE', `/api/v1/auth/sessions/${String(decodeJwt(lost.accessToken).sid)}`, undefined, keep.accessToken)
    assert.equal(res.status, 204, JSON.stringify(res.body))
    await refusedEverywhere(lost.accessToken, Date.now())
    await acceptedEverywhere(keep.accessToken)
  })

  it('every session of a user an admin disabled', async () => {
    const { id, email } = await register()
    const pair = await login(email)
    await acceptedEverywhere(pair.accessToken)
    const admin = await login(ADMIN.email, ADMIN.password)
    const res = await call('POST', `/api/v1/users/${id}/disable`, undefined, admin.accessToken)
    assert.equal(res.status, 204, JSON.stringify(res.body))
    await refusedEverywhere(pair.accessToken, Date.now())
    const again = await call('POST', '/api/v1/auth/refresh', { refreshToken: pair.refreshToken })
    assert.equal(again.status, 401, 'the session is over; refresh cannot revive it')
  })
})
