import { after, before, describe, it } from 'node:test'
import assert from 'node:assert/strict'
import { Writable } from 'node:stream'
import { createLogger } from '@app/kit/log'
import { openTestBackends, testEnv, uniqueName } from '@app/kit/testing'
import type { TestBackends } from '@app/kit/testing'
import type { Env } from '@app/kit/config'
import { SERVICE_PORTS, serviceUrlVariable, startService } from '@app/kit/service'
import type { ServiceName } from '@app/kit/service'
import { gatewayService } from '../src/service.ts'
import { newSigningKey, signToken, startFakeServices } from './helper.ts'

/** A gateway in front of one fake of every service, its log lines kept. */
function useLoggedGateway (env: Env) {
  const state = {} as {
    backends: TestBackends
    key: Awaited<ReturnType<typeof newSigningKey>>
    fake: Awaited<ReturnType<typeof startFakeServices>>
    gateway: Awaited<ReturnType<typeof startService<typeof gatewayService.configSchema>>>
    raw: string[]
  }
  before(async () => {
    state.raw = []
    state.backends = await openTestBackends()
    state.key = await newSigningKey()
    state.fake = await startFakeServices(() => ({ keys: [state.key.jwk] }))
    const urls = Object.fromEntries((Object.keys(SERVICE_PORTS) as ServiceName[])
      .filter(s => s !== 'gateway').map(s => [serviceUrlVariable(s), state.fake.url]))
    const lines = new Writable({ write (chunk, _encoding, done) { state.raw.push(String(chunk)); done() } })
    state.gateway = await startService(gatewayService, {
      env: testEnv(state.backends, { ...urls, CACHE_PREFIX: `${uniqueName('gw')}:`, ...env }),
      shared: { cache: state.backends.cache.cache, bus: state.backends.bus.bus },
      log: createLogger('info', 'gateway', lines),
      port: 0
    })
  })
  after(async () => {
    await state.gateway.close()
    await state.fake.close()
    await state.backends.cleanup()
  })
  return {
    get state () { return state },
    accessLines: () => state.raw.flatMap(raw => raw.split('\n')).filter(Boolean).map(line => JSON.parse(line) as Record<string, unknown>).filter(line => line.msg === 'request')
  }
}

describe('the gateway\'s operations endpoints and access log', () => {
  const gw = useLoggedGateway({ GATEWAY_OPS_PORT: '0' })

  it('serves /metrics on the operations listener only, labelled by route pattern, never by raw path', async () => {
    const { gateway } = gw.state
    const token = await signToken(gw.state.key, { claims: { sub: 'user-42' } })
    assert.equal((await fetch(`${gateway.url}/api/v1/users/7f3a9c1e-0000-4000-8000-000000000001`, { headers: { authorization: `Bearer ${token}` } })).status, 200)

    const onPublic = await fetch(`${gateway.url}/metrics`)
    assert.equal(onPublic.status, 404)
    assert.doesNotMatch(await onPublic.text(), /http_requests_total/)

    assert.ok(gateway.app.opsUrl, 'the listener is up')
    assert.match(gateway.app.opsUrl, /^http:\/\/127\.0\.0\.1:\d+$/, 'on loopback by default')
    const metrics = await fetch(`${gateway.app.opsUrl}/metrics`)
    assert.equal(metrics.status, 200)
    const text = await metrics.text()
    assert.match(text, /http_requests_total\{[^}]*route="\/api\/v1\/users\/:id"[^}]*status="200"/)
    assert.doesNotMatch(text, /7f3a9c1e/, 'no id from a path in any label')
    assert.match(text, /gateway_upstream_instances/)
    assert.equal((await fetch(`${gateway.app.opsUrl}/api/v1/users/me`)).status, 404, 'nothing but metrics there')
  })

  it('writes one access line per request with its route, status, duration, upstream, instance, user and request id, and never the token or a query value', async () => {
    const { gateway, fake } = gw.state
    const token = await signToken(gw.state.key, { claims: { sub: 'user-77' } })
    const before = gw.accessLines().length
    const res = await fetch(`${gateway.url}/api/v1/users/abc-123?code=qv-5150`, { headers: { authorization: `Bearer ${token}` } })
    assert.equal(res.status, 200)
    const anonymous = await fetch(`${gateway.url}/api/v1/users/email-change/undo?token=qv-6160`)
    assert.equal(anonymous.status, 200)

    const lines = gw.accessLines().slice(before)
    assert.equal(lines.length, 2, 'one line per request')
    const [authenticated, anon] = lines
    assert.deepEqual({ ...authenticated, time: undefined, pid: undefined, hostname: undefined, ms: undefined, url: undefined }, {
      level: 'info',
      msg: 'request',
      name: 'gateway',
      service: 'gateway',
      version: 'dev',
      requestId: res.headers.get('x-request-id'),
      method: 'GET',
      route: '/api/v1/users/:id',
      status: 200,
      upstream: 'user',
      instance: fake.url,
      userId: 'user-77',
      time: undefined,
      pid: undefined,
      hostname: undefined,
      ms: undefined,
      url: undefined
    })
    assert.equal(typeof authenticated!.ms, 'number')
    assert.equal(anon!.route, '/api/v1/users/email-change/undo')
    assert.equal(anon!.userId, undefined)
    assert.equal(anon!.requestId, anonymous.headers.get('x-request-id'))
    for (const raw of gw.state.raw) {
      assert.ok(!raw.includes(token), 'never the token')
      assert.ok(!raw.includes(token.split('.')[2]!), 'nor its signature')
      assert.doesNotMatch(raw, /qv-5150|qv-6160/, 'nor a query value')
    }
  })
})

describe('the gateway without an operations port', () => {
  const gw = useLoggedGateway({})

  it('serves /metrics nowhere, and the API docs outside production', async () => {
    const { gateway } = gw.state
    assert.equal(gateway.app.opsUrl, null)
    assert.equal((await fetch(`${gateway.url}/metrics`)).status, 404)
    // NODE_ENV is test here: the docs default to on.
    assert.equal((await fetch(`${gateway.url}/openapi.json`)).status, 200)
  })
})

describe('the gateway in production', () => {
  const gw = useLoggedGateway({ NODE_ENV: 'production' })

  it('publishes no API docs unless GATEWAY_DOCS_ENABLED asks for them', async () => {
    const { gateway } = gw.state
    assert.equal((await fetch(`${gateway.url}/openapi.json`)).status, 404)
    assert.equal((await fetch(`${gateway.url}/docs`)).status, 404)
    assert.equal((await fetch(`${gateway.url}/healthz`)).status, 200)
  })
})
