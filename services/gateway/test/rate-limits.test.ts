import { after, before, describe, it } from 'node:test'
import assert from 'node:assert/strict'
import { createServer } from '@app/kit/http'
import type { App } from '@app/kit/http'
import { createLogger } from '@app/kit/log'
import { openTestBackends, startTestService, uniqueName } from '@app/kit/testing'
import type { TestBackends } from '@app/kit/testing'
import { SERVICE_PORTS, serviceUrlVariable } from '@app/kit/service'
import type { ServiceName } from '@app/kit/service'
import { createRateLimitStore } from '../src/rate-limit-store.ts'
import { rateLimitRules } from '../src/rate-limit-rules.ts'
import { clientKey, installRateLimits, policyItem } from '../src/rate-limits.ts'
import type { ResolvedRoute, RouteGroup } from '../src/routes.ts'
import { gatewayService } from '../src/service.ts'
import { newSigningKey, signToken, startFakeServices, useGateway } from './helper.ts'

const integer = (value: string | null) => {
  assert.match(String(value), /^\d+$/)
  return Number(value)
}

/**
 * The rate-limit hooks in the gateway's order, on a real server: routing
 * (here: the group a test names in `x-group`) before the per-IP, per-group and
 * global buckets; identity (`x-user`) before the per-user bucket.
 */
function useLimitedServer (limits: string) {
  const state = {} as { app: App, url: string }
  before(async () => {
    const app = await createServer({ name: 'rate-limit-test', log: createLogger('silent'), bodyLimit: 1024 })
    app.decorateRequest('gatewayRoute', null)
    app.decorateRequest('identity', null)
    app.addHook('onRequest', async (request) => {
      const group = request.headers['x-group']
      if (typeof group === 'string') request.gatewayRoute = { group: group as RouteGroup } as ResolvedRoute
    })
    const store = createRateLimitStore({ prefix: 'unused:', log: { warn () {} } })
    const hooks = installRateLimits(app, { rules: rateLimitRules(limits), trustedProxies: ['loopback'], store })
    app.addHook('onRequest', async (request) => {
      const sub = request.headers['x-user']
      if (typeof sub === 'string') request.identity = { sub, sid: 's', roles: [], authTime: 0 }
    })
    app.addHook('onRequest', hooks.perUser)
    app.all('/*', async () => ({ ok: true }))
    state.app = app
    state.url = await app.listen({ port: 0, host: '127.0.0.1' })
  })
  after(async () => { await state.app.close() })
  return async (ip: string, headers: Record<string, string> = {}, path = '/anything') => {
    const res = await fetch(`${state.url}${path}`, { headers: { 'x-forwarded-for': ip, ...headers } })
    const text = await res.text()
    return { status: res.status, headers: res.headers, body: text ? JSON.parse(text) : undefined }
  }
}

describe('rate limits per route group, client IP, user and for everyone', () => {
  const call = useLimitedServer('global=8/h burst 8; ip=4/h burst 4; user=2/h burst 2; group.sensitive=off; group.admin=2/h burst 2')

  it('applies a group\'s bucket to that group only, with the tightest limit in RateLimit-* and every policy', async () => {
    const admin = { 'x-group': 'admin' }
    const first = await call('198.51.100.1', admin)
    assert.equal(first.status, 200)
    assert.equal(first.headers.get('ratelimit-limit'), '2')
    assert.equal(first.headers.get('ratelimit-remaining'), '1')
    assert.equal(first.headers.get('ratelimit-reset'), '1800')
    assert.equal(first.headers.get('ratelimit-policy'), '2;w=3600, 4;w=3600, 8;w=3600')
    assert.equal((await call('198.51.100.1', admin)).status, 200)
    const refused = await call('198.51.100.1', admin)
    assert.equal(refused.status, 429)
    assert.match(String(refused.headers.get('content-type')), /^application\/problem\+json/)
    assert.equal(refused.body.code, 'rate_limited')
    assert.equal(refused.body.status, 429)
    assert.ok(refused.body.requestId)
    assert.equal(integer(refused.headers.get('retry-after')), 1800)
    assert.equal(refused.headers.get('ratelimit-limit'), '2')
    assert.equal(refused.headers.get('ratelimit-remaining'), '0')
    assert.equal(integer(refused.headers.get('ratelimit-reset')), 3600)
    assert.equal(refused.headers.get('ratelimit-policy'), '2;w=3600, 4;w=3600, 8;w=3600')
    // The same client on other groups: only its per-IP bucket (4, two spent: the refused request cost nothing) applies.
    const other = await call('198.51.100.1', { 'x-group': 'account' })
    assert.equal(other.status, 200)
    assert.equal(other.headers.get('ratelimit-limit'), '4')
    assert.equal(other.headers.get('ratelimit-remaining'), '1')
    assert.equal(other.headers.get('ratelimit-policy'), '4;w=3600, 8;w=3600')
  })

  it('limits a user by the token subject, whichever IP it comes from', async () => {
    const alice = { 'x-user': 'alice' }
    assert.equal((await call('198.51.100.2', alice)).status, 200)
    const second = await call('198.51.100.3', alice)
    assert.equal(second.status, 200)
    assert.equal(second.headers.get('ratelimit-limit'), '2')
    assert.equal(second.headers.get('ratelimit-remaining'), '0')
    assert.equal(second.headers.get('ratelimit-policy'), '4;w=3600, 8;w=3600, 2;w=3600')
    const third = await call('198.51.100.4', alice)
    assert.equal(third.status, 429)
    assert.equal(third.body.code, 'rate_limited')
    assert.equal(third.headers.get('ratelimit-limit'), '2')
    assert.equal((await call('198.51.100.4', { 'x-user': 'bob' })).status, 200)
  })

  it('holds all clients together to the global bucket, which a client refused by its own spends nothing of', async () => {
    // Spent from the global bucket of 8 so far: 3 by 198.51.100.1, 4 by alice and bob (alice's
    // third request passed it before her own bucket refused it).
    assert.equal((await call('198.51.100.1')).status, 200, 'its last per-IP token, and the last global one')
    for (let i = 0; i < 2; i++) assert.equal((await call('198.51.100.1')).status, 429)
    const refused = await call('198.51.100.5')
    assert.equal(refused.status, 429)
    assert.equal(refused.headers.get('ratelimit-limit'), '8')
    assert.equal(integer(refused.headers.get('retry-after')), 450)
  })

  it('never limits the health probes', async () => {
    const res = await call('198.51.100.1', {}, '/healthz')
    assert.equal(res.status, 200)
    assert.equal(res.headers.get('ratelimit-limit'), null)
  })

  it('keys IPv6 clients by their /64 and IPv4-mapped ones by their IPv4 address', () => {
    assert.equal(clientKey('2001:db8:1:2:3:4:5:6'), '2001:db8:1:2::/64')
    assert.equal(clientKey('2001:DB8:1:2::9%eth0'), '2001:db8:1:2::/64')
    assert.equal(clientKey('::1'), '0:0:0:0::/64')
    assert.equal(clientKey('::ffff:203.0.113.5'), '203.0.113.5')
    assert.equal(clientKey('203.0.113.5'), '203.0.113.5')
  })

  it('states each bucket as its size and the seconds it takes to refill', () => {
    assert.equal(policyItem({ ratePerSecond: 10, burst: 600 }), '600;w=60')
    assert.equal(policyItem({ ratePerSecond: 20 / 60, burst: 5 }), '5;w=15')
    assert.equal(policyItem({ ratePerSecond: 5000, burst: 10_000 }), '10000;w=2')
  })
})

describe('gateway rate limits, peer not trusted', () => {
  const gw = useGateway({
    GATEWAY_RATE_LIMITS: 'ip=40/h burst 45; user=2/h burst 2; group.sensitive=3/h burst 3',
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
    assert.equal(integer(res.headers.get('retry-after')), 1200)
    assert.equal(res.headers.get('ratelimit-limit'), '3')
    assert.equal(res.headers.get('ratelimit-remaining'), '0')
    assert.equal(res.headers.get('ratelimit-policy'), '3;w=3600, 45;w=4050')
    assert.ok(res.headers.get('x-request-id'))
    // Other routes are still open to this client.
    assert.equal((await gw.call('/.well-known/jwks.json')).status, 200)
  })

  it('applies the per-IP bucket to every route', async () => {
    const res = await gw.call('/.well-known/jwks.json')
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
    assert.equal(second.headers.get('ratelimit-remaining'), '0')
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
  // The deprecated variable still works: 1 a minute, a bucket of 1.
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

describe('two gateway instances sharing Redis', { skip: !process.env.REDIS_URL && 'needs REDIS_URL' }, () => {
  type Gateway = Awaited<ReturnType<typeof startTestService<typeof gatewayService.configSchema>>>
  const s = {} as { backends: TestBackends, fake: Awaited<ReturnType<typeof startFakeServices>>, gateways: Gateway[] }
  before(async () => {
    s.backends = await openTestBackends()
    const key = await newSigningKey()
    s.fake = await startFakeServices(() => ({ keys: [key.jwk] }))
    const urls = Object.fromEntries((Object.keys(SERVICE_PORTS) as ServiceName[])
      .filter(name => name !== 'gateway').map(name => [serviceUrlVariable(name), s.fake.url]))
    const env = { ...urls, CACHE_PREFIX: `${uniqueName('gw')}:`, GATEWAY_DOCS_ENABLED: 'false', GATEWAY_RATE_LIMITS: 'ip=10/h burst 10' }
    s.gateways = [await startTestService(gatewayService, env, s.backends), await startTestService(gatewayService, env, s.backends)]
  })
  after(async () => {
    for (const gateway of s.gateways ?? []) await gateway.cleanup()
    await s.fake?.close()
    await s.backends?.cleanup()
  })

  it('lets the client through as many times as the one limit says, not that many per instance', async () => {
    let allowed = 0
    for (let i = 0; i < 30; i++) {
      const res = await fetch(`${s.gateways[i % 2]!.url}/.well-known/jwks.json`)
      await res.text()
      if (res.status === 200) allowed++
      else assert.equal(res.status, 429)
    }
    assert.equal(allowed, 10)
  })
})
