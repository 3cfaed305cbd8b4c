import { describe, it, before } from 'node:test'
import assert from 'node:assert/strict'
import { uniqueName } from '@app/kit/testing'
import { post, REAL_SERVERS, useProcesses } from './processes.ts'

const PASSWORD = 'correct horse battery'

/** Requests an instance answered on a route, from its Prometheus metrics. */
async function served (baseUrl: string, route: string): Promise<number> {
  const text = await (await fetch(`${baseUrl}/metrics`)).text()
  return text.split('\n')
    .filter(line => line.startsWith('http_requests_total{') && line.includes(`route="${route}"`))
    .reduce((sum, line) => sum + Number(line.split(' ').at(-1)), 0)
}

describe('two auth instances as separate processes behind the gateway', { skip: !REAL_SERVERS && 'needs DATABASE_URL, REDIS_URL and AMQP_URL' }, () => {
  const processes = useProcesses()
  const url = {} as { user: string, authA: string, authB: string, gateway: string }

  before(async () => {
    url.user = await processes.start('user', 'user')
    processes.env.USER_SERVICE_URL = url.user
    // The second auth instance starts once the first created the signing key: both then sign with it.
    url.authA = await processes.start('auth', 'auth-a')
    url.authB = await processes.start('auth', 'auth-b')
    url.gateway = await processes.start('gateway', 'gateway', { AUTH_SERVICE_URL: `${url.authA},${url.authB}` })
  })

  async function registered (): Promise<string> {
    const email = `${uniqueName('two')}@example.com`
    assert.equal((await post(`${url.gateway}/api/v1/users/register`, { email, password: PASSWORD })).status, 201)
    return email
  }

  it('spreads logins over both instances, and a refresh token spent on one is known as spent on the other', async () => {
    const email = await registered()
    const pairs = []
    for (let i = 0; i < 4; i++) {
      const res = await post(`${url.gateway}/api/v1/auth/login`, { email, password: PASSWORD })
      assert.equal(res.status, 200)
      pairs.push(res.body as { refreshToken: string })
    }
    assert.ok(await served(url.authA, '/api/v1/auth/login') > 0, 'instance A served logins')
    assert.ok(await served(url.authB, '/api/v1/auth/login') > 0, 'instance B served logins')

    // Spent on A and presented on B within the reuse interval (a client retry): a pair of its own, and both work.
    // After the interval it would end the session (services/auth/test/refresh-reuse.test.ts, on an injected clock).
    const spent = pairs[0]!.refreshToken
    const onA = await post(`${url.authA}/api/v1/auth/refresh`, { refreshToken: spent })
    assert.equal(onA.status, 200)
    const onB = await post(`${url.authB}/api/v1/auth/refresh`, { refreshToken: spent })
    assert.equal(onB.status, 200, JSON.stringify(onB.body))
    const fresh = [onA, onB].map(r => (r.body as { refreshToken: string }).refreshToken)
    assert.notEqual(fresh[0], fresh[1], 'B issued its own token, knowing A spent this one')
    for (const [i, refreshToken] of fresh.entries()) {
      const next = await post(`${i === 0 ? url.authB : url.authA}/api/v1/auth/refresh`, { refreshToken })
      assert.equal(next.status, 200, 'each answer goes on working, on the other instance too')
    }
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
