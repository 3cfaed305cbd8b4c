import { before, after, describe, it } from 'node:test'
import assert from 'node:assert/strict'
import { ConfigError } from '@app/kit/config'
import { checkIdentityAssertion } from '@app/kit/http'
import { startTestService, testKeys } from '@app/kit/testing'
import type { Env } from '@app/kit/config'
import { createRetirementCheck, parseRetiredRoutes } from '../src/retired-routes.ts'
import { gatewayService } from '../src/service.ts'
import { signToken, startFakeServices, useGateway } from './helper.ts'

describe('retired routes', () => {
  it('sends Deprecation, Sunset and the successor until the sunset, and 410 route_retired from then on', () => {
    let now = Date.parse('2027-06-29T23:59:59.999Z')
    const check = createRetirementCheck(parseRetiredRoutes('/api/v0=2027-06-30T00:00:00Z>/api/v1; /api/v1/orders=2026-01-01T00:00:00Z/2027-01-01T00:00:00+01:00'), () => now)
    const v0 = check(['api', 'v0', 'users', 'me'])!
    assert.deepEqual(v0.headers, {
      deprecation: `@${Date.parse('2027-06-30T00:00:00Z') / 1000}`,
      sunset: 'Wed, 30 Jun 2027 00:00:00 GMT',
      link: '</api/v1>; rel="successor-version"'
    })
    assert.equal(v0.gone, undefined)
    assert.deepEqual(check(['api', 'v1', 'orders'])!.headers, { deprecation: `@${Date.parse('2026-01-01T00:00:00Z') / 1000}`, sunset: 'Thu, 31 Dec 2026 23:00:00 GMT' })
    assert.equal(check(['api', 'v1', 'ordersx']), undefined)
    assert.equal(check(['api', 'v1', 'users']), undefined)
    now += 1
    const gone = check(['api', 'v0'])!.gone!
    assert.deepEqual({ status: gone.status, code: gone.code, headers: gone.headers }, { status: 410, code: 'route_retired', headers: v0.headers })
    assert.match(gone.detail, /\/api\/v0 was retired on 2027-06-30T00:00:00.000Z; use \/api\/v1/)
  })

  it('refuses a bad GATEWAY_RETIRED_ROUTES naming the variable and every problem', () => {
    try {
      parseRetiredRoutes('/api/v0=2027-06-30;/api/v1=2027-06-30T00:00:00Z/2026-01-01T00:00:00Z;api=2027-06-30T00:00:00Z;/x=2027-06-30T00:00:00Z>javascript:alert(1);/y=2027-06-30T00:00:00Z;/y=2028-06-30T00:00:00Z')
      assert.fail('accepted')
    } catch (err) {
      assert.ok(err instanceof ConfigError)
      assert.equal(err.problems.length, 5, err.problems.join('\n'))
      assert.ok(err.problems.every(p => p.startsWith('GATEWAY_RETIRED_ROUTES: ')))
    }
  })
})

describe('versioned routes through the gateway, to two real upstreams', () => {
  // The gateway's settings name the second upstream, which starts first (before hooks run in order).
  const env: Env = {}
  let v2: Awaited<ReturnType<typeof startFakeServices>>
  before(async () => {
    v2 = await startFakeServices(() => ({ keys: [] }))
    Object.assign(env, {
      GATEWAY_UPSTREAM_URLS: `v2=${v2.url}`,
      GATEWAY_ROUTES: JSON.stringify([
        { prefix: '/api/v2/users', upstream: 'v2', service: 'user' },
        { prefix: '/api/v2/orders', upstream: 'v2', service: 'order', rewritePrefix: '/api/v1/orders' },
        { prefix: '/api/v2/root', upstream: 'v2', service: 'user', rewritePrefix: '/' }
      ]),
      GATEWAY_RETIRED_ROUTES: '/api/v1/orders=2020-01-01T00:00:00Z/2999-12-31T00:00:00Z>/api/v2/orders;/api/v0=2021-06-30T00:00:00Z>/api/v1'
    })
  })
  after(async () => { await v2.close() })
  const gw = useGateway(env)
  const bearer = async () => ({ authorization: `Bearer ${await signToken(gw.key, { claims: { sub: 'u-1', roles: ['user'] } })}` })

  it('sends /api/v2/users to the v2 upstream and /api/v1/users to the v1 one', async () => {
    const auth = await bearer()
    const second = await gw.call('/api/v2/users/me?n=1', auth)
    assert.equal(second.status, 200)
    assert.equal(second.body.url, '/api/v2/users/me?n=1')
    assert.ok(v2.seen.some(s => s.url === '/api/v2/users/me?n=1'))
    assert.ok(!gw.fake.seen.some(s => s.url.startsWith('/api/v2/')))
    const first = await gw.call('/api/v1/users/me?n=2', auth)
    assert.equal(first.status, 200)
    assert.ok(gw.fake.seen.some(s => s.url === '/api/v1/users/me?n=2'))
    assert.ok(!v2.seen.some(s => s.url === '/api/v1/users/me?n=2'))
    // The identity assertion is for the service the v2 upstream runs, as that service checks it.
    const headers = second.body.headers
    const check = checkIdentityAssertion(headers['x-identity-assertion'], { keyring: testKeys().identity, audience: 'user', requestId: headers['x-request-id'], nowMs: Date.now() })
    assert.ok(check.ok, JSON.stringify(check))
  })

  it('rewrites the prefix for the upstream, and keeps the v1 policy for a v2 route', async () => {
    const rewritten = await gw.call('/api/v2/orders/42', await bearer())
    assert.equal(rewritten.status, 200)
    assert.equal(rewritten.body.url, '/api/v1/orders/42')
    assert.equal(rewritten.headers.get('deprecation'), null, 'the retired v1 prefix is not the v2 one')
    for (const [path, dest] of [['/api/v2/root/api/v1/users/me?n=5', '/api/v1/users/me?n=5'], ['/api/v2/root/api/v1/users/me/preferences', '/api/v1/users/me/preferences']]) {
      const atRoot = await gw.call(path!, await bearer())
      assert.equal(atRoot.status, 200, path)
      assert.equal(atRoot.body.url, dest, 'a rewrite to / does not double the slash')
    }
    const anonymous = await gw.call('/api/v2/users/me')
    assert.equal(anonymous.status, 401)
    const unknown = await gw.call('/api/v3/users/me')
    assert.equal(unknown.status, 404)
    assert.match(unknown.body.detail, /API version v3 does not exist/)
  })

  it('marks a route past its deprecation with Deprecation, Sunset and Link, and answers one past its sunset 410', async () => {
    const deprecated = await gw.call('/api/v1/orders', await bearer())
    assert.equal(deprecated.status, 200)
    assert.equal(deprecated.headers.get('deprecation'), '@1577836800')
    assert.equal(deprecated.headers.get('sunset'), 'Tue, 31 Dec 2999 00:00:00 GMT')
    assert.equal(deprecated.headers.get('link'), '</api/v2/orders>; rel="successor-version"')

    const gone = await gw.call('/api/v0/users/me?n=3')
    assert.equal(gone.status, 410)
    assert.match(String(gone.headers.get('content-type')), /^application\/problem\+json/)
    assert.equal(gone.body.code, 'route_retired')
    assert.equal(gone.headers.get('sunset'), 'Wed, 30 Jun 2021 00:00:00 GMT')
    assert.equal(gone.headers.get('link'), '</api/v1>; rel="successor-version"')
    assert.ok(![...gw.fake.seen, ...v2.seen].some(s => s.url.startsWith('/api/v0/')))
  })

  it('refuses to start with a route to an upstream that does not exist, naming GATEWAY_ROUTES', async () => {
    await assert.rejects(startTestService(gatewayService, {
      GATEWAY_ROUTES: '[{"prefix":"/api/v2/users","upstream":"users-v9","service":"user"}]',
      GATEWAY_IP_RULES: 'admin=allow:nowhere'
    }, gw.gateway.backends), (err: unknown) => {
      assert.ok(err instanceof ConfigError)
      assert.deepEqual(err.problems, [
        'GATEWAY_ROUTES: /api/v2/users goes to "users-v9", which is no service nor upstream of GATEWAY_UPSTREAM_URLS',
        'GATEWAY_IP_RULES: "nowhere" (admin) is not an IP address or CIDR range'
      ])
      return true
    })
  })
})
