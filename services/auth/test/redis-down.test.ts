import { describe, it, after, before } from 'node:test'
import assert from 'node:assert/strict'
import { openRedisCache } from '@app/kit/cache'
import type { RedisCache } from '@app/kit/cache'
import { deleteCacheKeys, openTestBackends, startTcpProxy, startTestService, uniqueName, waitFor } from '@app/kit/testing'
import type { TcpProxy, TestBackends } from '@app/kit/testing'
import { userService } from '@app/user'
import { authService } from '../src/service.ts'
import { PASSWORD, uniqueEmail } from './helper.ts'

type Running = Awaited<ReturnType<typeof startTestService>>

describe('auth while Redis is unreachable', { skip: !process.env.REDIS_URL && 'needs REDIS_URL' }, () => {
  const s = {} as { backends: TestBackends, proxy: TcpProxy, cache: RedisCache, user: Running, auth: Running }
  const prefix = `${uniqueName('auth-down')}:`

  before(async () => {
    s.backends = await openTestBackends()
    const redis = new URL(process.env.REDIS_URL!)
    s.proxy = await startTcpProxy(redis.hostname, Number(redis.port || 6379))
    // Only the auth service reaches Redis through the proxy the test cuts.
    s.cache = await openRedisCache({ url: s.proxy.url(process.env.REDIS_URL!), prefix, commandTimeoutMs: 300 })
    s.user = await startTestService(userService, { USER_ARGON2_MEMORY_KIB: '1024', USER_ARGON2_TIME_COST: '1' }, s.backends)
    s.auth = await startTestService(authService, { USER_SERVICE_URL: s.user.url, AUTH_MAX_FAILED_LOGINS: '3' }, { ...s.backends, cache: { ...s.backends.cache, cache: s.cache } })
  })
  after(async () => {
    await s.auth?.cleanup()
    await s.user?.cleanup()
    await s.cache?.close()
    await s.proxy?.close()
    await deleteCacheKeys(process.env.REDIS_URL!, prefix)
    await s.backends?.cleanup()
  })

  const post = (url: string, payload: object) => s.auth.app.inject({ method: 'POST', url, payload })
  const readiness = async () => (await s.auth.app.inject({ method: 'GET', url: '/readyz' })).json() as { status: string, checks: Record<string, string> }
  async function register (): Promise<string> {
    const email = uniqueEmail()
    const res = await s.user.app.inject({ method: 'POST', url: '/api/v1/users/register', payload: { email, password: PASSWORD } })
    assert.equal(res.statusCode, 201)
    return email
  }

  it('logs in, refreshes, logs out and throttles guessing on its own, stays ready (degraded) and recovers', async () => {
    const email = await register()
    const victim = await register()
    assert.equal((await readiness()).status, 'ok')

    s.proxy.cut()
    await waitFor(async () => (await readiness()).checks.cache === 'degraded')
    const readyz = await s.auth.app.inject({ method: 'GET', url: '/readyz' })
    assert.equal(readyz.statusCode, 200, 'a cache outage never takes the instance out of rotation')

    const login = await post('/api/v1/auth/login', { email, password: PASSWORD })
    assert.equal(login.statusCode, 200, login.body)
    const refreshed = await post('/api/v1/auth/refresh', { refreshToken: login.json().refreshToken })
    assert.equal(refreshed.statusCode, 200, refreshed.body)
    assert.equal((await post('/api/v1/auth/logout', { refreshToken: refreshed.json().refreshToken })).statusCode, 204)
    assert.equal((await post('/api/v1/auth/refresh', { refreshToken: refreshed.json().refreshToken })).statusCode, 401, 'the ended session stays ended')

    // The failed-login throttle counts on this instance instead of failing.
    for (let i = 0; i < 3; i++) assert.equal((await post('/api/v1/auth/login', { email: victim, password: 'wrong password here' })).statusCode, 401)
    const throttled = await post('/api/v1/auth/login', { email: victim, password: 'wrong password here' })
    assert.equal(throttled.statusCode, 429)
    assert.ok(Number(throttled.headers['retry-after']) > 0)

    s.proxy.restore()
    await waitFor(async () => (await readiness()).status === 'ok', 15_000, 100)
    assert.equal((await post('/api/v1/auth/login', { email, password: PASSWORD })).statusCode, 200)
  })
})
