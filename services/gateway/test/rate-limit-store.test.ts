import { after, before, describe, it } from 'node:test'
import assert from 'node:assert/strict'
import { openRedisCache } from '@app/kit/cache'
import type { RedisCache } from '@app/kit/cache'
import { deleteCacheKeys, freePort, startTcpProxy, uniqueName, waitFor } from '@app/kit/testing'
import type { TcpProxy } from '@app/kit/testing'
import { createRateLimitStore } from '../src/rate-limit-store.ts'
import type { RateLimitStore } from '../src/rate-limit-store.ts'

const REDIS_URL = process.env.REDIS_URL
const quiet = { warn () {} }

/** Every check of a bucket, awaited: synchronous answers and Redis ones alike. */
const allowedOf = async (store: RateLimitStore['bucket'] extends (...a: never[]) => infer B ? B : never, id: string, times: number) => {
  let allowed = 0
  for (let i = 0; i < times; i++) if ((await store.check(id)).allowed) allowed++
  return allowed
}

interface Adapter { name: string, open(now: () => number): Promise<{ store: RateLimitStore, close(): Promise<void> }> }

const adapters: Adapter[] = [{ name: 'in-process', open: async now => ({ store: createRateLimitStore({ prefix: 'unused:', log: quiet, now }), close: async () => {} }) }]
if (REDIS_URL) {
  adapters.push({
    name: 'Redis',
    async open (now) {
      const prefix = `${uniqueName('gw-bucket')}:`
      const redis = await openRedisCache({ url: REDIS_URL, prefix })
      return {
        store: createRateLimitStore({ redis, prefix, log: quiet, now }),
        async close () {
          await redis.close()
          await deleteCacheKeys(REDIS_URL, prefix)
        }
      }
    }
  })
}

for (const adapter of adapters) {
  describe(`rate-limit buckets (${adapter.name})`, () => {
    it('lets the burst through, refuses with the wait for the next token, and refills at the rate', async () => {
      let clock = 1_700_000_000_000
      const { store, close } = await adapter.open(() => clock)
      try {
        const bucket = store.bucket('ip', { ratePerSecond: 2, burst: 3 })
        const remaining = []
        for (let i = 0; i < 3; i++) remaining.push((await bucket.check('198.51.100.1')).remaining)
        assert.deepEqual(remaining, [2, 1, 0])
        const refused = await bucket.check('198.51.100.1')
        assert.equal(refused.allowed, false)
        assert.equal(refused.retryMs, 500)
        assert.equal(refused.limit, 3)
        assert.equal((await bucket.check('198.51.100.2')).allowed, true, 'another client has its own bucket')
        clock += 499
        assert.equal((await bucket.check('198.51.100.1')).allowed, false)
        clock += 1
        assert.equal((await bucket.check('198.51.100.1')).allowed, true)
        clock += 60_000
        assert.equal(await allowedOf(bucket, '198.51.100.1', 5), 3, 'never more than the burst')
        assert.equal(await allowedOf(store.bucket('user', { ratePerSecond: 2, burst: 3 }), '198.51.100.1', 5), 3, 'scopes are separate')
      } finally {
        await close()
      }
    })
  })
}

describe('rate-limit buckets in Redis', { skip: !REDIS_URL && 'needs REDIS_URL' }, () => {
  const s = {} as { prefix: string, redis: RedisCache[] }
  before(() => { s.prefix = `${uniqueName('gw-bucket')}:`; s.redis = [] })
  after(async () => {
    await Promise.all(s.redis.map(r => r.close()))
    await deleteCacheKeys(REDIS_URL!, s.prefix)
  })
  const connect = async (url = REDIS_URL!) => {
    const redis = await openRedisCache({ url, prefix: s.prefix, commandTimeoutMs: 500 })
    s.redis.push(redis)
    return redis
  }

  it('shares one bucket between instances: two do not each allow the full limit', async () => {
    const [a, b] = [await connect(), await connect()]
    const rule = { ratePerSecond: 1 / 3600, burst: 10 }
    const buckets = [a, b].map(redis => createRateLimitStore({ redis, prefix: `${s.prefix}shared:`, log: quiet }).bucket('ip', rule))
    let allowed = 0
    for (let i = 0; i < 30; i++) if ((await buckets[i % 2]!.check('203.0.113.7')).allowed) allowed++
    assert.equal(allowed, 10)
  })

  it('gives an idle bucket a TTL: the key is gone when it would be full again', async () => {
    const redis = await connect()
    const bucket = createRateLimitStore({ redis, prefix: `${s.prefix}ttl:`, log: quiet }).bucket('group.sensitive', { ratePerSecond: 1, burst: 5 })
    await bucket.check('203.0.113.8')
    await bucket.check('203.0.113.8')
    const ttl = await redis.client.pttl(`${s.prefix}ttl:group.sensitive:203.0.113.8`)
    assert.ok(ttl > 1000 && ttl <= 3000, `${ttl} ms`)
  })

  it('keeps extreme buckets in Redis too: a tiny rate with a huge burst', async () => {
    const redis = await connect()
    const store = createRateLimitStore({ redis, prefix: `${s.prefix}extreme:`, log: { warn () { throw new Error('fell back') } } })
    const decision = await store.bucket('ip', { ratePerSecond: 1 / 3_600_000, burst: 1_000_000_000 }).check('203.0.113.11')
    assert.equal(decision.allowed, true)
    assert.equal(decision.remaining, 999_999_999)
    assert.equal(store.isDegraded(), false)
    assert.ok(await redis.client.pttl(`${s.prefix}extreme:ip:203.0.113.11`) > 3_600_000)
  })

  it('limits per instance while Redis is cut, says it is degraded, and uses Redis again once it is back', async () => {
    const target = new URL(REDIS_URL!)
    const proxy: TcpProxy = await startTcpProxy(target.hostname, Number(target.port || 6379))
    try {
      const redis = await connect(proxy.url(REDIS_URL!))
      const store = createRateLimitStore({ redis, prefix: `${s.prefix}cut:`, log: quiet })
      const bucket = store.bucket('ip', { ratePerSecond: 1 / 3600, burst: 3 })
      assert.equal(await allowedOf(bucket, '203.0.113.9', 5), 3)
      assert.equal(store.isDegraded(), false)
      proxy.cut()
      await waitFor(() => !redis.isConnected())
      assert.equal(store.isDegraded(), true)
      // Fresh local buckets: the limit still holds, per instance.
      assert.equal(await allowedOf(bucket, '203.0.113.9', 5), 3)
      assert.equal(await allowedOf(bucket, '203.0.113.10', 5), 3)
      proxy.restore()
      await waitFor(() => redis.isConnected(), 10_000)
      // Redis's buckets again: still empty for the first client, untouched for the second.
      assert.equal(await allowedOf(bucket, '203.0.113.9', 2), 0)
      assert.equal(await allowedOf(bucket, '203.0.113.10', 5), 3)
      assert.ok(await redis.client.exists(`${s.prefix}cut:ip:203.0.113.10`))
    } finally {
      await proxy.close()
    }
  })
})

describe('rate-limit buckets without a reachable Redis', () => {
  it('limits per instance, and is degraded, while the connection is down', async () => {
    const redis = await openRedisCache({ url: `redis://127.0.0.1:${await freePort()}`, prefix: 'p:', background: true })
    try {
      const store = createRateLimitStore({ redis, prefix: 'p:', log: quiet })
      assert.equal(await allowedOf(store.bucket('ip', { ratePerSecond: 1 / 60, burst: 2 }), 'a', 4), 2)
      assert.equal(store.isDegraded(), true)
    } finally {
      await redis.close()
    }
  })

  it('limits per instance while Redis commands fail, warns once, and counts in Redis again when they succeed', async () => {
    let healthy = false
    const client = {
      defineCommand () {},
      async gatewayTakeTokens () {
        if (!healthy) throw new Error('connection lost')
        return [1, '0', 1000]
      }
    }
    const redis = { kind: 'redis', client, isConnected: () => true } as unknown as RedisCache
    const warnings: string[] = []
    const store = createRateLimitStore({ redis, prefix: 'p:', log: { warn: (_o, msg) => warnings.push(msg) } })
    const bucket = store.bucket('ip', { ratePerSecond: 1 / 60, burst: 2 })
    assert.equal(await allowedOf(bucket, 'k', 3), 2)
    assert.equal(store.isDegraded(), true)
    assert.equal(warnings.length, 1)
    healthy = true
    const shared = await bucket.check('k')
    assert.equal(shared.allowed, true)
    assert.equal(shared.remaining, 0, 'the answer of Redis, not of the local bucket')
  })
})
