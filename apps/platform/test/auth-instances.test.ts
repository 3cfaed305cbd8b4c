import { describe, it, after, before } from 'node:test'
import assert from 'node:assert/strict'
import { createServer } from 'node:net'
import type { AddressInfo } from 'node:net'
import type { ChildProcess } from 'node:child_process'
import { openPostgres, quoteIdent } from '@app/kit/db'
import { TEST_SERVICE_SECRET, uniqueName, waitFor } from '@app/kit/testing'
import { spawnService, stopChildren } from '../src/separate.ts'

const REAL = Boolean(process.env.DATABASE_URL && process.env.REDIS_URL && process.env.AMQP_URL)
const PASSWORD = 'correct horse battery'

async function freePort (): Promise<number> {
  const server = createServer()
  await new Promise<void>(resolve => server.listen(0, '127.0.0.1', resolve))
  const { port } = server.address() as AddressInfo
  await new Promise<void>(resolve => server.close(() => resolve()))
  return port
}

const post = async (url: string, body: unknown) => {
  const res = await fetch(url, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) })
  return { status: res.status, headers: res.headers, body: await res.json().catch(() => undefined) as Record<string, unknown> }
}

/** Requests an instance answered on a route, from its Prometheus metrics. */
async function served (baseUrl: string, route: string): Promise<number> {
  const text = await (await fetch(`${baseUrl}/metrics`)).text()
  return text.split('\n')
    .filter(line => line.startsWith('http_requests_total{') && line.includes(`route="${route}"`))
    .reduce((sum, line) => sum + Number(line.split(' ').at(-1)), 0)
}

describe('two auth instances as separate processes behind the gateway', { skip: !REAL && 'needs DATABASE_URL, REDIS_URL and AMQP_URL' }, () => {
  const prefix = uniqueName('two')
  const children: ChildProcess[] = []
  const output: string[] = []
  const url = {} as { user: string, authA: string, authB: string, gateway: string }

  before(async () => {
    const [user, authA, authB, gateway] = await Promise.all([freePort(), freePort(), freePort(), freePort()])
    Object.assign(url, { user: `http://127.0.0.1:${user}`, authA: `http://127.0.0.1:${authA}`, authB: `http://127.0.0.1:${authB}`, gateway: `http://127.0.0.1:${gateway}` })
    const env = {
      ...process.env,
      NODE_ENV: 'test',
      LOG_LEVEL: 'warn',
      REQUIRE_EXTERNAL_BACKENDS: 'true',
      SERVICE_SECRET: TEST_SERVICE_SECRET,
      DB_SCHEMA_PREFIX: `${prefix}_`,
      CACHE_PREFIX: `${prefix}:`,
      BUS_PREFIX: `${prefix}.`,
      BUS_EPHEMERAL: 'true',
      USER_ARGON2_MEMORY_KIB: '1024',
      USER_ARGON2_TIME_COST: '1',
      USER_SERVICE_URL: url.user,
      AUTH_SERVICE_URL: `${url.authA},${url.authB}`
    }
    const start = (name: string, port: number, tag: string) => children.push(spawnService(name, { ...env, PORT: String(port) }, `${tag} | `, line => output.push(line)))
    start('user', user, 'user')
    // The second auth instance starts once the first created the signing key: both then sign with it.
    start('auth', authA, 'auth-a')
    await waitFor(() => fetch(`${url.authA}/readyz`).then(r => r.ok, () => false), 60_000, 200).catch(err => { throw new Error(`${err}\n${output.join('\n')}`) })
    start('auth', authB, 'auth-b')
    start('gateway', gateway, 'gateway')
    await waitFor(async () => {
      const ready = await Promise.all([url.user, url.authB, url.gateway].map(u => fetch(`${u}/readyz`).then(r => r.ok, () => false)))
      return ready.every(Boolean)
    }, 60_000, 200).catch(err => { throw new Error(`${err}\n${output.join('\n')}`) })
  })

  after(async () => {
    await stopChildren(children)
    const db = openPostgres({ url: process.env.DATABASE_URL!, schema: 'public', poolSize: 1 })
    for (const name of ['user', 'auth']) await db.query(`drop schema if exists ${quoteIdent(`${prefix}_${name}`)} cascade`)
    await db.close()
  })

  async function registered (): Promise<string> {
    const email = `${uniqueName('two')}@example.com`
    assert.equal((await post(`${url.gateway}/api/v1/users/register`, { email, password: PASSWORD })).status, 201)
    return email
  }

  it('spreads logins over both instances, and a refresh token spent on one is refused on the other', async () => {
    const email = await registered()
    const pairs = []
    for (let i = 0; i < 4; i++) {
      const res = await post(`${url.gateway}/api/v1/auth/login`, { email, password: PASSWORD })
      assert.equal(res.status, 200)
      pairs.push(res.body as { refreshToken: string })
    }
    assert.ok(await served(url.authA, '/api/v1/auth/login') > 0, 'instance A served logins')
    assert.ok(await served(url.authB, '/api/v1/auth/login') > 0, 'instance B served logins')

    const spent = pairs[0]!.refreshToken
    const onA = await post(`${url.authA}/api/v1/auth/refresh`, { refreshToken: spent })
    assert.equal(onA.status, 200)
    const onB = await post(`${url.authB}/api/v1/auth/refresh`, { refreshToken: spent })
    assert.equal(onB.status, 401)
    assert.equal(onB.body.code, 'token_reused')
    const newest = await post(`${url.authB}/api/v1/auth/refresh`, { refreshToken: (onA.body as { refreshToken: string }).refreshToken })
    assert.equal(newest.status, 401, 'the whole family ended, on both instances')
  })

  it('counts failed logins for one account across both instances', async () => {
    const email = await registered()
    for (let i = 0; i < 5; i++) {
      const res = await post(`${i % 2 === 0 ? url.authA : url.authB}/api/v1/auth/login`, { email, password: 'wrong password here' })
      assert.equal(res.status, 401, `attempt ${i + 1}`)
    }
    for (const instance of [url.authA, url.authB]) {
      const res = await post(`${instance}/api/v1/auth/login`, { email, password: PASSWORD })
      assert.equal(res.status, 429)
      assert.match(String(res.headers.get('retry-after')), /^\d+$/)
    }
  })
})
