import { after, before, describe, it } from 'node:test'
import assert from 'node:assert/strict'
import { openTestBackends, startTestService, uniqueName } from '@app/kit/testing'
import type { TestBackends } from '@app/kit/testing'
import { SERVICE_PORTS, serviceUrlVariable } from '@app/kit/service'
import type { ServiceName } from '@app/kit/service'
import { gatewayService } from '../src/service.ts'
import { startDnsServer } from './dns-server.ts'
import { newSigningKey, signToken, startFakeServices } from './helper.ts'
import { startInstancesOnOnePort, until } from './upstream-instance.ts'
import type { Instance } from './upstream-instance.ts'

const NAME = 'user.gatehouse.test'

describe('gateway discovery of a service\'s instances through DNS', () => {
  let backends: TestBackends
  before(async () => { backends = await openTestBackends() })
  after(() => backends.cleanup())

  it('adds the instances a name comes to resolve to once they are ready, and drains those it stops resolving to, without a restart', async (t) => {
    const key = await newSigningKey()
    const dns = await startDnsServer()
    const [a, b, c] = await startInstancesOnOnePort(3) as [Instance, Instance, Instance]
    const others = await startFakeServices(() => ({ keys: [key.jwk] }))
    dns.set(NAME, [a.host])
    const gateway = await startTestService(gatewayService, {
      ...Object.fromEntries((Object.keys(SERVICE_PORTS) as ServiceName[]).filter(s => s !== 'gateway').map(s => [serviceUrlVariable(s), others.url])),
      USER_SERVICE_URL: `dns://${NAME}:${a.port}`,
      GATEWAY_DNS_SERVERS: dns.address,
      GATEWAY_DNS_REFRESH_MS: '100',
      GATEWAY_HEALTH_CHECK_MS: '0',
      GATEWAY_UPSTREAM_COOLDOWN_MS: '100',
      CACHE_PREFIX: `${uniqueName('gw')}:`,
      GATEWAY_DOCS_ENABLED: 'false',
      GATEWAY_RATE_LIMIT_PER_MINUTE: '100000'
    }, backends)
    t.after(async () => {
      await gateway.cleanup()
      await others.close()
      for (const instance of [a, b, c]) await instance.close()
      await dns.close()
    })
    const headers = { authorization: `Bearer ${await signToken(key)}` }
    const get = async () => {
      const res = await fetch(`${gateway.url}/api/v1/users/me`, { headers })
      const body = await res.json() as { instance?: string, code?: string }
      return { status: res.status, instance: [a, b, c].find(i => i.url === body.instance)?.host ?? body.code }
    }
    const order = async (n: number) => {
      const answered: Array<string | undefined> = []
      for (let i = 0; i < n; i++) answered.push((await get()).instance)
      return answered
    }
    const readiness = async () => (await (await fetch(`${gateway.url}/readyz`)).json() as { checks: Record<string, string> }).checks['upstream:user']

    assert.deepEqual(await order(2), [a.host, a.host])

    // A pod starts: it gets requests once its /readyz answered 200.
    dns.set(NAME, [a.host, b.host])
    await until(() => b.probes.includes(200))
    await until(async () => await readiness() === 'ok')
    assert.deepEqual(new Set(await order(2)), new Set([a.host, b.host]))

    // a stops resolving while one request to it is in flight; c appears but is not ready yet.
    a.holding = true
    const arrivedBefore = a.arrived
    const inFlight = (async () => { for (;;) { const res = await get(); if (res.instance === a.host) return res } })()
    await until(() => a.arrived > arrivedBefore)
    c.readyz = 503
    const arrivedAtA = a.arrived
    dns.set(NAME, [b.host, c.host])
    await until(() => c.probes.length > 0)
    assert.equal(await readiness(), 'degraded', 'c is known but not in the rotation')
    assert.deepEqual(await order(4), [b.host, b.host, b.host, b.host])
    a.release()
    assert.equal((await inFlight).status, 200, 'the drained instance finished the request it had')
    assert.equal(a.arrived, arrivedAtA, 'nothing new went to the drained instance')

    c.readyz = 200
    await until(async () => await readiness() === 'ok')
    assert.deepEqual(new Set(await order(2)), new Set([b.host, c.host]))

    // No pod is left: 503 from the gateway, until one is back.
    dns.set(NAME, undefined)
    await until(async () => (await get()).status === 503)
    assert.deepEqual(await get(), { status: 503, instance: 'unavailable' })
    assert.equal(await readiness(), 'degraded')
    dns.set(NAME, [b.host])
    await until(async () => (await get()).status === 200)
    assert.deepEqual(await order(2), [b.host, b.host])
  })
})
