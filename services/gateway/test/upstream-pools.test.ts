import { describe, it } from 'node:test'
import type { TestContext } from 'node:test'
import assert from 'node:assert/strict'
import { ConfigError, loadConfig } from '@app/kit/config'
import type { Env } from '@app/kit/config'
import { createLogger } from '@app/kit/log'
import { GatewayConfigSchema } from '../src/config.ts'
import { buildUpstreamPools } from '../src/pools.ts'
import type { PoolDependencies } from '../src/pools.ts'
import { startInstance, startInstancesOnOnePort, until } from './upstream-instance.ts'
import type { Instance } from './upstream-instance.ts'

const log = createLogger('silent')

/** The gateway's pools for `env`, closed when the test ends. */
async function poolsFor (t: TestContext, env: Env, deps: Omit<PoolDependencies, 'log'> = {}) {
  const pools = await buildUpstreamPools(loadConfig(GatewayConfigSchema, env), env, { log, ...deps })
  t.after(() => { for (const pool of pools.values()) pool.close() })
  return pools
}

/** A real request through the pool: picked, counted in flight, answered by the instance. */
async function send (pool: { pick(): string, begin(url: string): () => void }) {
  const url = pool.pick()
  const end = pool.begin(url)
  try {
    return (await (await fetch(`${url}/work`)).json() as { instance: string }).instance
  } finally {
    end()
  }
}

async function startInstances (t: TestContext, count: number) {
  const instances: Instance[] = []
  for (let i = 0; i < count; i++) instances.push(await startInstance())
  t.after(async () => { for (const i of instances) await i.close() })
  return instances
}

describe('upstream pool settings', () => {
  const rejects = async (env: Env, variable: string) => {
    await assert.rejects(buildUpstreamPools(loadConfig(GatewayConfigSchema, env), env, { log }), (err: unknown) => {
      assert.ok(err instanceof ConfigError, String(err))
      assert.match(err.message, new RegExp(variable))
      return true
    })
  }

  it('refuses a bad weight or URL, naming the variable', async () => {
    for (const bad of ['#weight=0', '#weight=101', '#weight=1.5', '#weight=abc', '#weight=', '#wait=2']) {
      await rejects({ USER_SERVICE_URL: `http://127.0.0.1:1${bad},http://127.0.0.1:2` }, 'USER_SERVICE_URL')
    }
    await rejects({ ORDER_SERVICE_URL: 'ftp://127.0.0.1:1' }, 'ORDER_SERVICE_URL')
    await rejects({ ORDER_SERVICE_URL: 'dns://order.internal' }, 'ORDER_SERVICE_URL')
    await rejects({ ORDER_SERVICE_URL: 'not a url' }, 'ORDER_SERVICE_URL')
  })

  it('refuses an unknown strategy or upstream, naming the variable', async () => {
    assert.throws(() => loadConfig(GatewayConfigSchema, { GATEWAY_LB_STRATEGY: 'fastest' }), /GATEWAY_LB_STRATEGY must be one of "round-robin"/)
    for (const bad of ['user:fastest', 'nobody:weighted', 'user', 'user:weighted,user:least-connections', 'user:weighted:3']) {
      await rejects({ GATEWAY_LB_STRATEGIES: bad }, 'GATEWAY_LB_STRATEGIES')
    }
  })

  it('refuses a bad extra upstream or DNS server, naming the variable', async () => {
    for (const bad of ['user=http://127.0.0.1:1', 'User V2=http://127.0.0.1:1', 'v2=', 'v2', 'v2=http://a:1;v2=http://b:1', 'v2=http://a:1#weight=0']) {
      await rejects({ GATEWAY_UPSTREAM_URLS: bad }, 'GATEWAY_UPSTREAM_URLS')
    }
    await rejects({ GATEWAY_DNS_SERVERS: 'dns.example.com' }, 'GATEWAY_DNS_SERVERS')
  })

  it('never repeats a URL\'s user and password in a setting error', async () => {
    for (const env of [
      { USER_SERVICE_URL: 'http://svc:s3cret@127.0.0.1:1#weight=0' },
      { USER_SERVICE_URL: 'ftp://svc:s3cret@127.0.0.1:1' },
      { USER_SERVICE_URL: 'dns://svc:s3cret@user.internal' },
      { USER_SERVICE_URL: 'http://svc:s3cret@[bad' },
      { GATEWAY_UPSTREAM_URLS: 'V2=http://svc:p@ss/w0rd@127.0.0.1:1' }
    ] as Env[]) {
      await assert.rejects(buildUpstreamPools(loadConfig(GatewayConfigSchema, env), env, { log }), (err: unknown) => {
        assert.ok(err instanceof ConfigError, String(err))
        assert.doesNotMatch(err.message, /s3cret|svc:|w0rd/, err.message)
        assert.match(err.message, /\/\/\*\*\*@/, err.message)
        return true
      })
    }
  })

  it('builds a pool per service and per extra upstream, each with its strategy and weights', async (t) => {
    const resolve = async () => ['10.0.0.7', '10.0.0.8']
    const pools = await poolsFor(t, {
      USER_SERVICE_URL: 'http://10.0.0.5:3001#weight=3, http://10.0.0.6:3001',
      GATEWAY_UPSTREAM_URLS: 'user-v2=http://10.0.1.5:3001 http://10.0.1.6:3001#weight=2; order-next = dns://order.internal:3008',
      GATEWAY_LB_STRATEGY: 'least-connections',
      GATEWAY_LB_STRATEGIES: 'user:weighted,user-v2:round-robin'
    }, { resolve })
    assert.deepEqual([...pools.keys()].sort(), ['audit', 'auth', 'email-verification', 'notification', 'order', 'order-next', 'otp', 'password', 'user', 'user-v2'])
    assert.equal(pools.get('user')!.strategy, 'weighted')
    assert.deepEqual(Array.from({ length: 4 }, () => pools.get('user')!.pick()), ['http://10.0.0.5:3001', 'http://10.0.0.5:3001', 'http://10.0.0.6:3001', 'http://10.0.0.5:3001'])
    assert.equal(pools.get('user-v2')!.strategy, 'round-robin')
    assert.deepEqual(pools.get('user-v2')!.urls, ['http://10.0.1.5:3001', 'http://10.0.1.6:3001'])
    assert.equal(pools.get('order-next')!.strategy, 'least-connections')
    assert.deepEqual(pools.get('order-next')!.urls, ['http://10.0.0.7:3008', 'http://10.0.0.8:3008'])
    assert.deepEqual(pools.get('audit')!.urls, ['http://127.0.0.1:8087'], 'the local default')
  })
})

describe('upstream pools over real instances', () => {
  it('least-connections counts requests in flight by weight', async (t) => {
    const [a, b] = await startInstances(t, 2) as [Instance, Instance]
    const pool = (await poolsFor(t, { USER_SERVICE_URL: `${a.url}#weight=2,${b.url}`, GATEWAY_LB_STRATEGIES: 'user:least-connections' })).get('user')!
    a.holding = true
    b.holding = true
    // Held open: a takes two for each one of b's.
    const held = Array.from({ length: 6 }, () => send(pool))
    await until(() => a.arrived + b.arrived === 6)
    assert.deepEqual([a.arrived, b.arrived], [4, 2])
    a.release()
    b.release()
    await Promise.all(held)
    // All idle again: the next goes by rotation, whoever had more before.
    assert.ok([a.url, b.url].includes(await send(pool)))
  })

  it('takes an instance out after the failed checks in a row and back after the passed ones in a row', async (t) => {
    const [a, b] = await startInstances(t, 2) as [Instance, Instance]
    const pool = (await poolsFor(t, {
      USER_SERVICE_URL: `${a.url},${b.url}`,
      // The checks run when the test says (checkNow), not on a timer.
      GATEWAY_HEALTH_CHECK_MS: '600000',
      GATEWAY_HEALTH_CHECK_FAILURES: '3',
      GATEWAY_HEALTH_CHECK_SUCCESSES: '2'
    })).get('user')!
    b.readyz = 503
    await pool.checkNow()
    await pool.checkNow()
    assert.deepEqual(pool.healthy(), [a.url, b.url], 'two failures are not enough')
    b.readyz = 200
    await pool.checkNow()
    b.readyz = 503
    await pool.checkNow()
    await pool.checkNow()
    assert.deepEqual(pool.healthy(), [a.url, b.url], 'a pass in between starts the count again')
    await pool.checkNow()
    assert.deepEqual(pool.healthy(), [a.url])
    assert.deepEqual([await send(pool), await send(pool)], [a.url, a.url])

    b.readyz = 200
    await pool.checkNow()
    assert.deepEqual(pool.healthy(), [a.url], 'one pass is not enough')
    await pool.checkNow()
    assert.deepEqual(pool.healthy(), [a.url, b.url])
    assert.deepEqual(new Set([await send(pool), await send(pool)]), new Set([a.url, b.url]))
    assert.deepEqual(a.probes, [200, 200, 200, 200, 200, 200, 200, 200])
  })

  it('follows a DNS name: newcomers after a passing probe, leavers drained, the last answer kept when DNS fails', async (t) => {
    const [a, b, c] = await startInstancesOnOnePort(3) as [Instance, Instance, Instance]
    t.after(async () => { for (const i of [a, b, c]) await i.close() })
    let answer: () => Promise<string[]> = async () => [a.host]
    const pool = (await poolsFor(t, {
      USER_SERVICE_URL: `dns://user.internal:${a.port}`,
      GATEWAY_HEALTH_CHECK_MS: '0',
      GATEWAY_DNS_REFRESH_MS: '3600000'
    }, { resolve: () => answer() })).get('user')!
    assert.deepEqual(pool.urls, [a.url], 'the first answer is in the rotation at once')

    c.readyz = 503
    answer = async () => [c.host, b.host, a.host]
    await pool.refresh()
    assert.deepEqual(pool.urls, [a.url, b.url, c.url], 'in address order')
    await until(() => c.probes.length > 0 && pool.healthy().length === 2)
    assert.deepEqual(pool.healthy(), [a.url, b.url], 'c failed its probe')

    // a leaves while a request to it is in flight.
    a.holding = true
    let toA: Promise<string> | undefined
    while (!toA) {
      const url = pool.pick()
      const end = pool.begin(url)
      const request = fetch(`${url}/work`).then(async res => (await res.json() as { instance: string }).instance).finally(end)
      if (url === a.url) toA = request
      else await request
    }
    answer = async () => [b.host, c.host]
    await pool.refresh()
    assert.deepEqual(pool.urls, [b.url, c.url])
    assert.deepEqual([await send(pool), await send(pool)], [b.url, b.url])
    a.release()
    assert.equal(await toA, a.url, 'the drained instance answered what it had')

    answer = async () => { throw Object.assign(new Error('timed out'), { code: 'ETIMEOUT' }) }
    await pool.refresh()
    assert.deepEqual(pool.urls, [b.url, c.url], 'kept')
    answer = async () => { throw Object.assign(new Error('no such name'), { code: 'ENOTFOUND' }) }
    await pool.refresh()
    assert.deepEqual(pool.urls, [])
    assert.throws(() => pool.pick(), { code: 'unavailable', status: 503 })
  })
})
