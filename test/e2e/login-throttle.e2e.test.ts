import { describe, it } from 'node:test'
import assert from 'node:assert/strict'
import { randomBytes } from 'node:crypto'
import { usePlatform } from './helper.ts'

const PASSWORD = 'correct horse battery'
const OWNER_IP = '198.51.100.20'
const ATTACKER_IP = '203.0.113.66'

describe('login throttling through the gateway', () => {
  // The test client stands in for a load balancer on loopback: the gateway believes its X-Forwarded-For.
  // The gateway's own per-IP limit on sensitive routes is raised so that only auth's throttle is seen, and
  // the first wait is long enough that no try of this test (on the real clock) outlasts it.
  const gw = usePlatform({ GATEWAY_TRUSTED_PROXIES: 'loopback', GATEWAY_SENSITIVE_RATE_LIMIT_PER_MINUTE: '1000', AUTH_FAILED_LOGIN_DELAY_SECONDS: '600' })

  const login = (email: string, password: string, forwardedFor: string, headers: Record<string, string> = {}) =>
    gw.json('POST', '/api/v1/auth/login', { email, password }, { 'x-forwarded-for': forwardedFor, ...headers })

  it('counts the client address the gateway vouches for: an attacker is capped, the owner logs in at once', async () => {
    const email = `owner.${randomBytes(4).toString('hex')}@example.com`
    assert.equal((await gw.json('POST', '/api/v1/users/register', { email, password: PASSWORD })).status, 201)
    const first = await login(email, PASSWORD, OWNER_IP)
    assert.equal(first.status, 200, JSON.stringify(first.body))
    const token = first.headers.get('x-device-token')
    assert.ok(token, 'the device token header passes the gateway')
    assert.match(first.headers.get('set-cookie') ?? '', /^gh_device=[^;]+; Path=\/api\/v1\/auth; Max-Age=\d+; HttpOnly; SameSite=Lax/)

    const statuses: number[] = []
    let throttled: Awaited<ReturnType<typeof login>> | undefined
    for (let i = 0; i < 30; i++) {
      // Putting the owner's address first in X-Forwarded-For does not help: the gateway takes the hop its trusted proxy saw.
      const res = await login(email, `wrong password ${i}`, `${OWNER_IP}, ${ATTACKER_IP}`)
      statuses.push(res.status)
      if (res.status === 429) throttled = res
    }
    assert.deepEqual(statuses, [...Array<number>(5).fill(401), ...Array<number>(25).fill(429)])
    assert.equal(throttled?.body.code, 'rate_limited')
    assert.ok(Number(throttled?.headers.get('retry-after')) > 500)
    assert.equal(throttled?.headers.get('ratelimit-remaining'), '0')
    assert.equal(throttled?.headers.get('ratelimit-limit'), '5')

    assert.equal((await login(email, PASSWORD, OWNER_IP)).status, 200, 'the owner, from its usual address')
    assert.equal((await login(email, PASSWORD, '192.0.2.200', { 'x-device-token': token })).status, 200, 'the owner, with its device token from elsewhere')
    assert.equal((await login(email, PASSWORD, ATTACKER_IP)).status, 429, 'the attacker, even with the right password')
  })
})
