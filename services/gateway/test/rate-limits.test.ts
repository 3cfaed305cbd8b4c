import { describe, it } from 'node:test'
import assert from 'node:assert/strict'
import type { RedisCache } from '@app/kit/cache'
import { createRateLimitStore } from '../src/rate-limit-store.ts'
import { isSensitive } from '../src/rate-limits.ts'
import { signToken, useGateway } from './helper.ts'

const integer = (value: string | null) => {
  assert.match(String(value), /^\d+$/)
  return Number(value)
}

describe('gateway rate limits, peer not trusted', () => {
  const gw = useGateway({
    GATEWAY_RATE_LIMIT_PER_MINUTE: '40',
    GATEWAY_RATE_LIMIT_BURST: '5',
    GATEWAY_SENSITIVE_RATE_LIMIT_PER_MINUTE: '3',
    GATEWAY_USER_RATE_LIMIT_PER_MINUTE: '2',
    GATEWAY_CORS_ORIGINS: 'https://app.example.com'
  })

  it('answers the (N+1)th sensitive request from one IP 429 rate_limited, whatever X-Forwarded-For says', async () => {
    const paths = ['/api/v1/otp/generate', '/api/v1/otp/generate/', '/api/v1/otp/%67enerate']
    for (const [i, path] of paths.entries()) {
      const res = await gw.call(path, { 'x-forwarded-for': `203.0.113.${i + 1}` }, 'POST')
      assert.equal(res.status, 200, path)
      assert.equal(res.headers.get('ratelimit-limit'), '3')
      assert.equal(res.headers.get('ratelimit-remaining'), String(2 - i))
    }
    const res = await gw.call('/api/v1/otp/generate', { 'x-forwarded-for': '198.51.100.9' }, 'POST')
    assert.equal(res.status, 429)
    assert.match(String(res.headers.get('content-type')), /^application\/problem\+json/)
    assert.equal(res.body.code, 'rate_limited')
    assert.equal(res.body.status, 429)
    const retryAfter = integer(res.headers.get('retry-after'))
    assert.ok(retryAfter >= 1 && retryAfter <= 60)
    assert.equal(res.headers.get('ratelimit-limit'), '3')
    assert.equal(res.headers.get('ratelimit-remaining'), '0')
    assert.ok(integer(res.headers.get('ratelimit-reset')) <= 60)
    assert.ok(res.headers.get('x-request-id'))
    // Other routes are still open to this client.
    assert.equal((await gw.call('/api/v1/users/me')).status, 200)
  })

  it('applies the global per-IP limit (limit plus burst) to every route', async () => {
    const res = await gw.call('/api/v1/orders')
    assert.equal(res.status, 200)
    assert.equal(res.headers.get('ratelimit-limit'), '45')
    integer(res.headers.get('ratelimit-reset'))
  })

  it('limits an authenticated user by the token subject', async () => {
    const token = await signToken(gw.key, { claims: { sub: 'busy-user' } })
    const auth = { authorization: `Bearer ${token}` }
    assert.equal((await gw.call('/api/v1/orders', auth)).status, 200)
    const second = await gw.call('/api/v1/orders', auth)
    assert.equal(second.status, 200)
    assert.equal(second.headers.get('ratelimit-limit'), '2')
    const third = await gw.call('/api/v1/orders', auth)
    assert.equal(third.status, 429)
    assert.equal(third.body.code, 'rate_limited')
    integer(third.headers.get('retry-after'))
    const other = await signToken(gw.key, { claims: { sub: 'another-user' } })
    assert.equal((await gw.call('/api/v1/orders', { authorization: `Bearer ${other}` })).status, 200)
  })

  it('never limits the health probes, and reports the rate-limit store ready', async () => {
    const res = await gw.call('/readyz')
    assert.equal(res.status, 200)
    assert.equal(res.body.checks['rate-limit-store'], 'ok')
    assert.equal(res.headers.get('ratelimit-limit'), null)
  })

  it('sends security headers, a closed CSP on the API, and CORS only to allowed origins', async () => {
    const res = await gw.call('/api/v1/users/me', { origin: 'https://app.example.com' })
    assert.equal(res.headers.get('x-content-type-options'), 'nosniff')
    assert.match(String(res.headers.get('strict-transport-security')), /max-age=/)
    assert.match(String(res.headers.get('content-security-policy')), /default-src 'none'/)
    assert.equal(res.headers.get('access-control-allow-origin'), 'https://app.example.com')
    const evil = await gw.call('/api/v1/users/me', { origin: 'https://evil.example.com' })
    assert.equal(evil.headers.get('access-control-allow-origin'), null)
    const preflight = await gw.call('/api/v1/users/me', {
      origin: 'https://app.example.com', 'access-control-request-method': 'PATCH', 'access-control-request-headers': 'authorization,content-type'
    }, 'OPTIONS')
    assert.equal(preflight.status, 204)
    assert.match(String(preflight.headers.get('access-control-allow-methods')), /PATCH/)
  })
})

describe('gateway rate limits behind a trusted proxy', () => {
  const gw = useGateway({ GATEWAY_TRUSTED_PROXIES: '127.0.0.1,::1', GATEWAY_SENSITIVE_RATE_LIMIT_PER_MINUTE: '1', GATEWAY_DOCS_ENABLED: 'true' })

  it('counts each forwarded client separately', async () => {
    const login = (ip: string) => gw.call('/api/v1/auth/login', { 'x-forwarded-for': ip }, 'POST')
    assert.equal((await login('203.0.113.1')).status, 200)
    assert.equal((await login('203.0.113.1')).status, 429)
    assert.equal((await login('203.0.113.2')).status, 200)
  })

  it('lets /docs load Swagger UI from its own origin', async () => {
    const res = await fetch(`${gw.gateway.url}/docs/static/index.html`)
    assert.equal(res.status, 200)
    const csp = String(res.headers.get('content-security-policy'))
    assert.match(csp, /script-src 'self'/)
    assert.doesNotMatch(csp, /default-src 'none'/)
    await res.text()
  })
})

describe('rate-limit routes and store', () => {
  it('treats login, register, password, verification, OTP, MFA and phone routes (REST and RPC) as sensitive, however spelt', () => {
    for (const url of ['/api/v1/auth/login', '/api/v1/auth/login/?x=1', '//api/v1/auth/%6Cogin', '/api/v1/users/../auth/login',
      '/api/v1/users/register', '/API/v1/password/forgot', '/api/v1/password/reset', '/api/v1/otp/verify', '/api/v1/auth/phone/login/start',
      '/api/v1/email-verification/send', '/api/v1/auth/mfa/verify', '/rpc/auth.v1.AuthService/ValidatePhoneNumberLogin', '/rpc/otp.v1.OtpService/GenerateOtp']) {
      assert.equal(isSensitive(url), true, url)
    }
    for (const url of ['/api/v1/users/me', '/api/v1/auth/refresh', '/api/v1/auth/mfa', '/api/v1/auth/login-history', '/api/v1/orders']) {
      assert.equal(isSensitive(url), false, url)
    }
  })

  it('counts per instance while Redis fails, and says it is degraded', async () => {
    let healthy = false
    const client = {
      defineCommand () {},
      async gatewayReserve () {
        if (!healthy) throw new Error('connection lost')
        return [7, 1000]
      }
    }
    const redis = { kind: 'redis', client, isConnected: () => true } as unknown as RedisCache
    const warnings: string[] = []
    const store = createRateLimitStore({ redis, prefix: 'p:', log: { warn: (_o, msg) => warnings.push(msg) } })
    const incr = (key: string) => new Promise<{ current: number, ttl: number }>((resolve, reject) =>
      store.incr(key, (err, res) => err ? reject(err) : resolve(res!), 60_000, 10))
    assert.equal((await incr('k')).current, 1)
    assert.equal((await incr('k')).current, 2)
    assert.equal(store.isDegraded(), true)
    assert.equal(warnings.length, 1)
    healthy = true
    assert.equal((await incr('k')).current, 7)
  })
})
