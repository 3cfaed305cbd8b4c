import { after, before, describe, it } from 'node:test'
import type { TestContext } from 'node:test'
import assert from 'node:assert/strict'
import { openTestBackends, startTestService, uniqueName } from '@app/kit/testing'
import type { TestBackends } from '@app/kit/testing'
import { SERVICE_PORTS, serviceUrlVariable } from '@app/kit/service'
import type { ServiceName } from '@app/kit/service'
import { gatewayService } from '../src/service.ts'
import { newSigningKey, signToken, startFakeServices } from './helper.ts'
import { startInstance, until } from './upstream-instance.ts'
import type { Instance } from './upstream-instance.ts'

describe('gateway load-balancing strategies and active health checks', () => {
  let backends: TestBackends
  let key: Awaited<ReturnType<typeof newSigningKey>>
  before(async () => {
    backends = await openTestBackends()
    key = await newSigningKey()
  })
  after(() => backends.cleanup())

  /**
   * `count` instances of the user service (their URLs through `userUrls`)
   * behind a fresh gateway; the other services are one fake.
   */
  async function lineUp (t: TestContext, count: number, env: Record<string, string> = {}, userUrls = (urls: string[]) => urls.join(',')) {
    const instances: Instance[] = []
    for (let i = 0; i < count; i++) instances.push(await startInstance())
    const others = await startFakeServices(() => ({ keys: [key.jwk] }))
    const gateway = await startTestService(gatewayService, {
      ...Object.fromEntries((Object.keys(SERVICE_PORTS) as ServiceName[]).filter(s => s !== 'gateway').map(s => [serviceUrlVariable(s), others.url])),
      USER_SERVICE_URL: userUrls(instances.map(i => i.url)),
      CACHE_PREFIX: `${uniqueName('gw')}:`,
      GATEWAY_DOCS_ENABLED: 'false',
      GATEWAY_RATE_LIMIT_PER_MINUTE: '100000',
      GATEWAY_HEALTH_CHECK_MS: '0',
      ...env
    }, backends)
    t.after(async () => {
      await gateway.cleanup()
      await others.close()
      for (const instance of instances) await instance.close()
    })
    // The route needs a signed-in user.
    const headers = { authorization: `Bearer ${await signToken(key)}` }
    const get = async () => {
      const res = await fetch(`${gateway.url}/api/v1/users/me`, { headers })
      const body = await res.json() as { instance?: string }
      return { status: res.status, instance: instances.findIndex(i => i.url === body.instance) }
    }
    return {
      instances,
      get,
      /** Which instance answered each of `n` requests sent one after the other. */
      async order (n: number) {
        const order: number[] = []
        for (let i = 0; i < n; i++) {
          const res = await get()
          assert.equal(res.status, 200)
          order.push(res.instance)
        }
        return order
      },
      counts: () => instances.map(i => i.arrived),
      userReadiness: async () => (await (await fetch(`${gateway.url}/readyz`)).json() as { checks: Record<string, string> }).checks['upstream:user']
    }
  }

  it('spreads requests evenly with round-robin, the default', async (t) => {
    const lb = await lineUp(t, 3)
    assert.deepEqual(await lb.order(6), [0, 1, 2, 0, 1, 2])
    await lb.order(24)
    assert.deepEqual(lb.counts(), [10, 10, 10])
  })

  it('spreads requests by weight, interleaved, with the weighted strategy', async (t) => {
    const lb = await lineUp(t, 3, { GATEWAY_LB_STRATEGIES: 'user:weighted' },
      ([a, b, c]) => `${a}#weight=3, ${b}#weight=2,${c}`)
    // Smooth weighted round-robin is deterministic: each cycle of 6 is a b a c b a.
    assert.deepEqual(await lb.order(6), [0, 1, 0, 2, 1, 0])
    await lb.order(54)
    assert.deepEqual(lb.counts(), [30, 20, 10])
  })

  it('sends nothing new to a slow instance with least-connections while another is free', async (t) => {
    const lb = await lineUp(t, 2, { GATEWAY_LB_STRATEGY: 'least-connections' })
    const [slow, fast] = lb.instances as [Instance, Instance]
    slow.holding = true
    // Requests one at a time until one is held open by the slow instance.
    let held: ReturnType<typeof lb.get> | undefined
    while (!held) {
      const request = lb.get()
      await Promise.race([request, until(() => slow.arrived === 1)])
      if (slow.arrived === 1) held = request
    }
    const fastBefore = fast.arrived
    assert.deepEqual(await lb.order(8), [1, 1, 1, 1, 1, 1, 1, 1], 'round-robin would send every other one to the slow instance')
    assert.equal(fast.arrived, fastBefore + 8)
    slow.release()
    assert.deepEqual(await held, { status: 200, instance: 0 })
    // Both idle again: they take turns.
    assert.deepEqual(new Set(await lb.order(2)), new Set([0, 1]))
  })

  it('takes an instance failing /readyz out after the failures in a row, and back after the successes in a row', async (t) => {
    const lb = await lineUp(t, 2, { GATEWAY_HEALTH_CHECK_MS: '100', GATEWAY_HEALTH_CHECK_FAILURES: '2', GATEWAY_HEALTH_CHECK_SUCCESSES: '3' })
    const [, sick] = lb.instances as [Instance, Instance]
    assert.deepEqual(await lb.order(2), [0, 1])
    sick.readyz = 503
    await until(async () => await lb.userReadiness() === 'degraded')
    assert.ok(sick.probes.filter(s => s === 503).length >= 2, 'out only after two failed checks')
    assert.deepEqual(await lb.order(4), [0, 0, 0, 0])

    const failedChecks = sick.probes.length
    sick.readyz = 200
    await until(async () => await lb.userReadiness() === 'ok')
    assert.ok(sick.probes.slice(failedChecks).filter(s => s === 200).length >= 3, 'back only after three passed checks')
    assert.deepEqual(new Set(await lb.order(2)), new Set([0, 1]))
  })

  it('checks an instance that answers nothing as failing', async (t) => {
    const lb = await lineUp(t, 2, { GATEWAY_HEALTH_CHECK_MS: '100', GATEWAY_HEALTH_CHECK_FAILURES: '1' })
    await lb.instances[1]!.close()
    await until(async () => await lb.userReadiness() === 'degraded')
    // Out of the rotation before any request found it gone.
    assert.deepEqual(await lb.order(3), [0, 0, 0])
  })
})
