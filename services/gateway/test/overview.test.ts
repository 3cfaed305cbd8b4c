import { after, before, describe, it } from 'node:test'
import assert from 'node:assert/strict'
import { createServer } from 'node:http'
import type { Server } from 'node:http'
import type { AddressInfo } from 'node:net'
import { checkIdentityAssertion } from '@app/kit/http'
import { SERVICE_PORTS, serviceUrlVariable } from '@app/kit/service'
import type { ServiceName } from '@app/kit/service'
import { freePort, openTestBackends, startTestService, testKeys, uniqueName } from '@app/kit/testing'
import type { TestBackends } from '@app/kit/testing'
import { gatewayService } from '../src/service.ts'
import { startDnsServer } from './dns-server.ts'
import { newSigningKey, signToken, startFakeServices } from './helper.ts'

const keys = testKeys()
// Generous for the healthy parts on a loaded machine; the hanging part still proves the budget ends the wait.
const TIMEOUT_MS = 2_000

/** An instance that takes requests and never answers them (its readiness says it is fine). */
async function startHangingService () {
  const server: Server = createServer((req, res) => {
    if (req.url === '/readyz') res.writeHead(200).end('{}')
  })
  await new Promise<void>(resolve => server.listen(0, '127.0.0.1', resolve))
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    close: () => new Promise<void>(resolve => { server.closeAllConnections(); server.close(() => resolve()) })
  }
}

type Fake = Awaited<ReturnType<typeof startFakeServices>>
type Hanging = Awaited<ReturnType<typeof startHangingService>>

/**
 * A gateway whose user, order, notification and auth services are separate
 * echoing servers (auth also publishes the JWKS); `order` is `down` (nothing
 * listens) or `hanging` when asked.
 */
function useOverviewGateway (order: 'up' | 'down' | 'hanging' | 'unresolved', env: Record<string, string> = {}) {
  const state = {} as {
    backends: TestBackends
    key: Awaited<ReturnType<typeof newSigningKey>>
    fakes: Map<string, Fake>
    hanging: Hanging | undefined
    dns: Awaited<ReturnType<typeof startDnsServer>> | undefined
    gateway: Awaited<ReturnType<typeof startTestService<typeof gatewayService.configSchema>>>
  }
  before(async () => {
    state.backends = await openTestBackends()
    state.key = await newSigningKey()
    const jwks = () => ({ keys: [state.key.jwk] })
    state.fakes = new Map()
    for (const service of ['user', 'notification', 'auth', 'other', ...(order === 'up' ? ['order'] : [])]) {
      state.fakes.set(service, await startFakeServices(jwks))
    }
    state.hanging = order === 'hanging' ? await startHangingService() : undefined
    // A DNS server that knows no name: the order pool has no instance at all.
    state.dns = order === 'unresolved' ? await startDnsServer() : undefined
    const orderUrl = order === 'up'
      ? state.fakes.get('order')!.url
      : order === 'hanging' ? state.hanging!.url : order === 'unresolved' ? 'dns://orders.nowhere.test:3003' : `http://127.0.0.1:${await freePort()}`
    const urlOf = (service: string) => service === 'order' ? orderUrl : (state.fakes.get(service) ?? state.fakes.get('other')!).url
    const urls = Object.fromEntries((Object.keys(SERVICE_PORTS) as ServiceName[]).filter(s => s !== 'gateway').map(s => [serviceUrlVariable(s), urlOf(s)]))
    state.gateway = await startTestService(gatewayService, {
      ...urls,
      CACHE_PREFIX: `${uniqueName('gw')}:`,
      GATEWAY_DOCS_ENABLED: 'false',
      GATEWAY_AGGREGATE_TIMEOUT_MS: String(TIMEOUT_MS),
      ...(state.dns ? { GATEWAY_DNS_SERVERS: state.dns.address } : {}),
      ...env
    }, state.backends)
  })
  after(async () => {
    await state.gateway.cleanup()
    for (const fake of state.fakes.values()) await fake.close()
    await state.hanging?.close()
    await state.dns?.close()
    await state.backends.cleanup()
  })
  return {
    fake: (service: string) => state.fakes.get(service)!,
    get url () { return state.gateway.url },
    token: (sub = 'user-1') => signToken(state.key, { claims: { sub, sid: 'session-9' } }),
    async overview (headers: Record<string, string> = {}) {
      const started = performance.now()
      const res = await fetch(`${state.gateway.url}/api/v1/me/overview`, { headers })
      // Each part is a fake's echo ({ method, url, headers }) or { error: { code } }.
      const body = await res.json() as Record<string, any>
      return { status: res.status, headers: res.headers, body, ms: performance.now() - started }
    }
  }
}

/** What the service `audience` made of the identity assertion it was sent (the fakes echo their headers). */
function assertedUser (echo: { headers: Record<string, string> }, audience: string) {
  const check = checkIdentityAssertion(echo.headers['x-identity-assertion'] ?? '', { keyring: keys.identity, audience, requestId: echo.headers['x-request-id'] ?? '', nowMs: Date.now() })
  assert.ok(check.ok, `${audience}: ${check.ok ? '' : check.reason}`)
  return check.assertion.user
}

describe('GET /api/v1/me/overview', () => {
  const gw = useOverviewGateway('up')

  it('gathers every part from its service, each with the caller\'s identity for that service and this request', async () => {
    const res = await gw.overview({ authorization: `Bearer ${await gw.token('user-7')}`, 'x-request-id': 'overview-1' })
    assert.equal(res.status, 200)
    assert.equal(res.headers.get('cache-control'), 'private, no-store')
    assert.deepEqual(Object.keys(res.body).sort(), ['notifications', 'orders', 'preferences', 'sessions', 'user'])
    const expected = {
      user: ['user', '/api/v1/users/me'],
      preferences: ['user', '/api/v1/users/me/preferences'],
      orders: ['order', '/api/v1/orders?limit=5'],
      notifications: ['notification', '/api/v1/notifications/me?limit=5'],
      sessions: ['auth', '/api/v1/auth/sessions']
    } as const
    for (const [part, [service, url]] of Object.entries(expected)) {
      const echo = res.body[part]
      assert.equal(echo.method, 'GET', part)
      assert.equal(echo.url, url, part)
      assert.equal(echo.headers['x-request-id'], 'overview-1', part)
      assert.equal(echo.headers.authorization, undefined, `${part}: the token itself stays at the gateway`)
      assert.deepEqual(assertedUser(echo, service), { sub: 'user-7', roles: ['user'], sid: 'session-9', authTime: null }, part)
      assert.ok(gw.fake(service).seen.some(seen => seen.url === url), `${part} went to the ${service} service`)
    }
  })

  it('answers 401 without a token, and asks no service', async () => {
    const before = gw.fake('user').seen.length
    const res = await gw.overview()
    assert.equal(res.status, 401)
    assert.equal(res.body.code, 'unauthorized')
    assert.equal(gw.fake('user').seen.length, before)
  })

  it('answers a part whose only instance is closing as unavailable', async () => {
    gw.fake('auth').behaviour.closing = true
    try {
      const res = await gw.overview({ authorization: `Bearer ${await gw.token()}` })
      assert.equal(res.status, 200)
      assert.deepEqual(res.body.sessions, { error: { code: 'unavailable' } })
      assert.equal(res.body.user.url, '/api/v1/users/me')
    } finally {
      gw.fake('auth').behaviour.closing = false
    }
  })
})

describe('GET /api/v1/me/overview with the order service down', () => {
  const gw = useOverviewGateway('down')

  it('answers 200 with the orders part as an error and every other part', async () => {
    const res = await gw.overview({ authorization: `Bearer ${await gw.token()}` })
    assert.equal(res.status, 200)
    assert.deepEqual(res.body.orders, { error: { code: 'unavailable' } })
    for (const part of ['user', 'preferences', 'notifications', 'sessions']) assert.equal(res.body[part].method, 'GET', part)
  })
})

describe('GET /api/v1/me/overview with no instance of the order service known', () => {
  const gw = useOverviewGateway('unresolved')

  it('answers 200 with the orders part unavailable and every other part', async () => {
    const res = await gw.overview({ authorization: `Bearer ${await gw.token()}` })
    assert.equal(res.status, 200, JSON.stringify(res.body))
    assert.deepEqual(res.body.orders, { error: { code: 'unavailable' } })
    for (const part of ['user', 'preferences', 'notifications', 'sessions']) assert.equal(res.body[part].method, 'GET', part)
  })
})

describe('GET /api/v1/me/overview with the order service hanging', () => {
  const gw = useOverviewGateway('hanging')

  it('answers within the part budget, the orders part upstream_timeout and the rest complete', async () => {
    const res = await gw.overview({ authorization: `Bearer ${await gw.token()}` })
    assert.equal(res.status, 200)
    assert.deepEqual(res.body.orders, { error: { code: 'upstream_timeout' } })
    for (const part of ['user', 'preferences', 'notifications', 'sessions']) assert.equal(res.body[part].method, 'GET', part)
    assert.ok(res.ms >= TIMEOUT_MS - 50, `waited for the budget (${Math.round(res.ms)} ms)`)
    // The instance never answers: only the budget ends the wait (with room for a loaded machine).
    assert.ok(res.ms < TIMEOUT_MS + 5_000, `answered in ${Math.round(res.ms)} ms`)
  })
})

describe('GET /api/v1/me/overview in the merged OpenAPI', () => {
  const gw = useOverviewGateway('up', { GATEWAY_DOCS_ENABLED: 'true' })

  it('documents the route, its parts and its errors in /openapi.json, which the gateway\'s cache keeps', async () => {
    const res = await fetch(`${gw.url}/openapi.json`)
    assert.equal(res.status, 200)
    assert.equal(res.headers.get('cache-control'), 'public, max-age=10')
    const doc = await res.json() as { paths: Record<string, any> }
    const get = doc.paths['/api/v1/me/overview'].get
    assert.deepEqual(get.security, [{ bearer: [] }])
    assert.deepEqual(Object.keys(get.responses['200'].content['application/json'].schema.properties).sort(), ['notifications', 'orders', 'preferences', 'sessions', 'user'])
    assert.ok(get.responses['401'])
    assert.equal((await fetch(`${gw.url}/openapi.json`)).headers.get('x-cache'), 'hit')
  })
})
