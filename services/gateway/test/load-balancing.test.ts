import { after, before, describe, it } from 'node:test'
import type { TestContext } from 'node:test'
import assert from 'node:assert/strict'
import { setTimeout as sleep } from 'node:timers/promises'

/** Waits for a positive signal: polls `condition` until it holds (the test's timeout bounds it). */
async function until (condition: () => boolean | Promise<boolean>) {
  while (!await condition()) await sleep(20)
}
import { openTestBackends, startTestService, uniqueName } from '@app/kit/testing'
import type { TestBackends } from '@app/kit/testing'
import { SERVICE_PORTS, serviceUrlVariable } from '@app/kit/service'
import type { ServiceName } from '@app/kit/service'
import { gatewayService } from '../src/service.ts'
import { newSigningKey, signToken, startFakeServices } from './helper.ts'

type Fake = Awaited<ReturnType<typeof startFakeServices>>

describe('gateway load balancing over the instances of a service', () => {
  let backends: TestBackends
  let key: Awaited<ReturnType<typeof newSigningKey>>
  const jwks = () => ({ keys: [key.jwk] })
  before(async () => {
    backends = await openTestBackends()
    key = await newSigningKey()
  })
  after(() => backends.cleanup())

  /**
   * `count` instances of the user service behind a fresh gateway; the other
   * services (auth's JWKS and ended sessions among them) are another fake,
   * which the test leaves alone.
   */
  async function lineUp (t: TestContext, count: number, cooldownMs = 60_000, env: Record<string, string> = {}) {
    const fakes: Fake[] = []
    for (let i = 0; i < count; i++) fakes.push(await startFakeServices(jwks))
    const others = await startFakeServices(jwks)
    const gateway = await startTestService(gatewayService, {
      ...Object.fromEntries((Object.keys(SERVICE_PORTS) as ServiceName[])
        .filter(s => s !== 'gateway').map(s => [serviceUrlVariable(s), others.url])),
      USER_SERVICE_URL: fakes.map(f => f.url).join(','),
      CACHE_PREFIX: `${uniqueName('gw')}:`,
      GATEWAY_DOCS_ENABLED: 'false',
      GATEWAY_RATE_LIMIT_PER_MINUTE: '100000',
      GATEWAY_UPSTREAM_COOLDOWN_MS: String(cooldownMs),
      // Only the passive ejection here (balancing-strategies.test.ts covers the active checks).
      GATEWAY_HEALTH_CHECK_MS: '0',
      ...env
    }, backends)
    t.after(async () => {
      await gateway.cleanup()
      await others.close()
      for (const fake of fakes) await fake.close()
    })
    // Most user routes need a signed-in user.
    const authorization = `Bearer ${await signToken(key)}`
    const call = async (path: string, init: RequestInit = {}) => {
      const res = await fetch(`${gateway.url}${path}`, { ...init, headers: { authorization, ...init.headers as Record<string, string> } })
      const text = await res.text()
      return { status: res.status, headers: res.headers, body: text ? JSON.parse(text) : undefined }
    }
    return {
      fakes,
      call,
      /** Requests each instance received so far (a restarted one counts from zero). */
      counts: () => fakes.map(f => f.seen.length),
      /** Stops instance `i`, or starts it again on the port it had. */
      stop: (i: number) => fakes[i]!.close(),
      restart: async (i: number) => { fakes[i] = await startFakeServices(jwks, Number(new URL(fakes[i]!.url).port)) },
      userReadiness: async () => (await call('/readyz')).body.checks['upstream:user'],
      healthyGauge: async () => {
        // The gateway serves /metrics only on its operations listener: the registry itself here.
        const text = await gateway.app.metricsRegistry.metrics()
        return Number(/^gateway_upstream_healthy_instances\{[^}]*upstream="user"[^}]*\} (\d+)$/m.exec(text)?.[1])
      }
    }
  }

  it('sends requests to each instance in turn', async (t) => {
    const lb = await lineUp(t, 3)
    const order: number[] = []
    for (let i = 0; i < 6; i++) {
      const before = lb.counts()
      assert.equal((await lb.call('/api/v1/users/me')).status, 200)
      order.push(lb.counts().findIndex((n, j) => n > before[j]!))
    }
    assert.deepEqual(order, [0, 1, 2, 0, 1, 2])
    assert.equal(await lb.userReadiness(), 'ok')
    assert.equal(await lb.healthyGauge(), 3)
  })

  it('answers every GET while an instance is stopped, and sends it nothing until a readiness probe finds it ready', async (t) => {
    const lb = await lineUp(t, 2, 100)
    await lb.stop(1)
    for (let i = 0; i < 4; i++) assert.equal((await lb.call(`/api/v1/users/me?i=${i}`)).status, 200)
    assert.equal(lb.counts()[0], 4)
    assert.equal(await lb.userReadiness(), 'degraded')
    assert.equal(await lb.healthyGauge(), 1)
    const readyz = await lb.call('/readyz')
    assert.equal(readyz.status, 200)
    assert.equal(readyz.body.status, 'degraded')

    // Back on its port but not ready yet (say its database is still down): probed, kept out.
    await lb.restart(1)
    lb.fakes[1]!.behaviour.readyz = 503
    await until(() => lb.fakes[1]!.probes.length >= 2)
    for (let i = 0; i < 4; i++) assert.equal((await lb.call('/api/v1/users/me')).status, 200)
    assert.deepEqual(lb.counts(), [8, 0])

    lb.fakes[1]!.behaviour.readyz = 200
    await until(async () => await lb.userReadiness() === 'ok')
    assert.equal(lb.fakes[1]!.probes.at(-1), 200)
    for (let i = 0; i < 4; i++) assert.equal((await lb.call('/api/v1/users/me')).status, 200)
    assert.deepEqual(lb.counts(), [10, 2])
    assert.equal(await lb.healthyGauge(), 2)
  })

  it('sends a POST whose connection was refused to another instance, once, and skips the stopped one from then on', async (t) => {
    const lb = await lineUp(t, 2)
    await lb.stop(1)
    const post = (i: number) => lb.call('/api/v1/users/register', { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ i }) })
    for (let i = 0; i < 4; i++) {
      const res = await post(i)
      assert.equal(res.status, 200)
      assert.equal(res.body.body, JSON.stringify({ i }), 'the body, held by the gateway, went along')
    }
    assert.deepEqual(lb.fakes[0]!.seen.map(s => JSON.parse(s.body).i), [0, 1, 2, 3], 'each POST once')
    assert.equal(await lb.userReadiness(), 'degraded')
  })

  it('does not resend a POST whose connection broke after it was sent, resends a GET, and marks neither instance down for it', async (t) => {
    const lb = await lineUp(t, 2)
    const post = await lb.call('/api/v1/users/register?reset=1', { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{}' })
    assert.equal(post.status, 502)
    assert.equal(post.body.code, 'bad_gateway')
    assert.equal(lb.counts().reduce((a, b) => a + b), 1, 'the POST may have been processed: never sent twice')
    const get = await lb.call('/api/v1/users/me?reset=1')
    assert.equal(get.status, 502)
    assert.equal(lb.counts().reduce((a, b) => a + b), 3, 'the GET went to the other instance too')
    // The broken connections only started probes, which the instances answer: both stay in.
    await until(() => lb.fakes.every(f => f.probes.length > 0))
    assert.equal(await lb.userReadiness(), 'ok')
    assert.equal(await lb.healthyGauge(), 2)
  })

  it('sends any method elsewhere when an instance answers 503 x-instance-closing, without its headers', async (t) => {
    const lb = await lineUp(t, 2)
    lb.fakes[0]!.behaviour.closing = true
    const res = await lb.call('/api/v1/users/register', { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{"a":1}' })
    assert.equal(res.status, 200)
    assert.equal(res.body.body, '{"a":1}')
    assert.equal(res.headers.get('x-instance-closing'), null)
    assert.equal(res.headers.get('retry-after'), null)
    assert.deepEqual(lb.counts(), [1, 1])
    assert.equal(await lb.userReadiness(), 'degraded')
    assert.equal((await lb.call('/api/v1/users/me', { method: 'PATCH' })).status, 200)
    assert.deepEqual(lb.counts(), [1, 2], 'the closing instance is out of the rotation')
  })

  it('takes the answer of a draining instance without its header, then sends it nothing new', async (t) => {
    const lb = await lineUp(t, 2)
    lb.fakes[0]!.behaviour.draining = true
    lb.fakes[0]!.behaviour.readyz = 503
    const first = await lb.call('/api/v1/users/register', { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{}' })
    const second = await lb.call('/api/v1/users/register', { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{}' })
    assert.equal(first.status, 200)
    assert.equal(second.status, 200)
    assert.equal(first.headers.get('x-instance-draining'), null)
    assert.deepEqual(lb.counts(), [1, 1])
    for (let i = 0; i < 3; i++) assert.equal((await lb.call('/api/v1/users/register', { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{}' })).status, 200)
    assert.deepEqual(lb.counts(), [1, 4], 'the draining instance is out of the rotation')
  })

  it('passes a closing 503 through when no other instance is left', async (t) => {
    const lb = await lineUp(t, 1)
    lb.fakes[0]!.behaviour.closing = true
    const res = await lb.call('/api/v1/users/register', { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{}' })
    assert.equal(res.status, 503)
    assert.equal(res.headers.get('x-instance-closing'), '1')
  })

  it('retries a PUT, body included, on another instance', async (t) => {
    const lb = await lineUp(t, 2)
    await lb.stop(1)
    assert.equal((await lb.call('/api/v1/users/me')).status, 200)
    const body = JSON.stringify({ theme: 'dark' })
    const put = await lb.call('/api/v1/users/me/preferences', { method: 'PUT', headers: { 'content-type': 'application/json' }, body })
    assert.equal(put.status, 200)
    assert.equal(put.body.method, 'PUT')
    assert.equal(put.body.body, body)
    assert.equal(put.body.headers['content-length'], String(Buffer.byteLength(body)))
    assert.equal(lb.counts()[0], 2)
  })

  it('passes a 5xx answer through as an answer: no retry, no instance marked down', async (t) => {
    const lb = await lineUp(t, 2)
    const res = await lb.call('/api/v1/users/me?status=503')
    assert.equal(res.status, 503)
    assert.equal(res.body.method, 'GET', 'the upstream\'s own body')
    assert.deepEqual(lb.counts(), [1, 0])
    assert.equal(await lb.userReadiness(), 'ok')
  })

  it('answers 504 upstream_timeout to a slow instance without retrying or marking it down', async (t) => {
    const lb = await lineUp(t, 2, 60_000, { GATEWAY_UPSTREAM_TIMEOUT_MS: '200' })
    const res = await lb.call('/api/v1/users/me?delay=2000')
    assert.equal(res.status, 504)
    assert.equal(res.body.code, 'upstream_timeout')
    assert.deepEqual(lb.counts(), [1, 0])
    assert.equal(await lb.userReadiness(), 'ok')
  })

  it('answers 503 unavailable when every instance is down, after trying them', async (t) => {
    const lb = await lineUp(t, 2)
    await lb.stop(0)
    await lb.stop(1)
    for (let i = 0; i < 3; i++) {
      const res = await lb.call('/api/v1/users/me')
      assert.equal(res.status, 503)
      assert.match(String(res.headers.get('content-type')), /^application\/problem\+json/)
      assert.equal(res.body.code, 'unavailable')
      assert.ok(res.body.requestId)
    }
    assert.equal(await lb.healthyGauge(), 0)
    const readyz = await lb.call('/readyz')
    assert.equal(readyz.status, 200, 'the gateway still serves the other services')
    assert.equal(readyz.body.checks['upstream:user'], 'degraded')
    // Both are tried again: one that comes back answers at once, though its cooldown has not ended.
    await lb.restart(0)
    assert.equal((await lb.call('/api/v1/users/me')).status, 200)
  })
})
