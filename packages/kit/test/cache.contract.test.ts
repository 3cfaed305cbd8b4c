import { describe, it } from 'node:test'
import type { TestContext } from 'node:test'
import assert from 'node:assert/strict'
import { setTimeout as sleep } from 'node:timers/promises'
import type { Cache } from '../src/cache/cache.ts'
import { openRedisCache } from '../src/cache/cache.redis.ts'
import { openCache } from '../src/cache/open-cache.ts'
import { cacheAdapters, openTestCache } from '../src/testing/test-cache.ts'
import type { CacheAdapter, TestCache } from '../src/testing/test-cache.ts'

async function open (t: TestContext, adapter: CacheAdapter): Promise<TestCache> {
  const handle = await adapter.open()
  t.after(() => handle.cleanup())
  return handle
}

/** The cache plus three more connections to the same keyspace, so races cross clients. */
async function clients (handle: TestCache): Promise<Cache[]> {
  return [handle.cache, ...await Promise.all([handle.peer(), handle.peer(), handle.peer()])]
}

/**
 * Lets a `seconds` TTL run out: at once on the injected clock; on a real server
 * by polling until the key is gone, failing if it outlives the TTL by 2 s.
 */
async function waitForExpiry (handle: TestCache, key: string, seconds: number): Promise<void> {
  if (handle.advance) {
    handle.advance(seconds * 1000 + 1)
    return
  }
  const deadline = Date.now() + seconds * 1000 + 2000
  for (;;) {
    // Timed before asking: a late answer on a loaded machine says nothing about when Redis looked.
    const asked = Date.now()
    if (await handle.cache.ttl(key) === undefined) return
    if (asked > deadline) assert.fail(`${key} outlived its ${seconds} s TTL`)
    await sleep(50)
  }
}

function race<T> (n: number, all: Cache[], op: (cache: Cache, i: number) => Promise<T>): Promise<T[]> {
  return Promise.all(Array.from({ length: n }, (_, i) => op(all[i % all.length]!, i)))
}

for (const adapter of cacheAdapters()) {
  describe(`cache contract: ${adapter.name}`, () => {
    describe('get and set', () => {
      it('returns undefined for a missing key', async (t) => {
        const { cache } = await open(t, adapter)
        assert.equal(await cache.get('missing'), undefined)
      })

      it('returns the stored value', async (t) => {
        const { cache } = await open(t, adapter)
        await cache.set('k', 'v')
        assert.equal(await cache.get('k'), 'v')
      })

      it('replaces the value and drops the old TTL when set again without one', async (t) => {
        const { cache } = await open(t, adapter)
        await cache.set('k', 'a', 60)
        await cache.set('k', 'b')
        assert.equal(await cache.get('k'), 'b')
        assert.equal(await cache.ttl('k'), -1)
      })

      it('forgets a value once its TTL has passed', async (t) => {
        const handle = await open(t, adapter)
        await handle.cache.set('k', 'v', 1)
        assert.equal(await handle.cache.get('k'), 'v')
        await waitForExpiry(handle, 'k', 1)
        assert.equal(await handle.cache.get('k'), undefined)
        assert.equal(await handle.cache.ttl('k'), undefined)
      })
    })

    describe('setIfAbsent', () => {
      it('stores only when the key is absent', async (t) => {
        const { cache } = await open(t, adapter)
        assert.equal(await cache.setIfAbsent('k', 'first', 60), true)
        assert.equal(await cache.setIfAbsent('k', 'second', 60), false)
        assert.equal(await cache.get('k'), 'first')
        const ttl = await cache.ttl('k')
        assert.ok(ttl !== undefined && ttl > 0 && ttl <= 60, `ttl ${ttl}`)
      })

      it('stores again once the previous value has expired', async (t) => {
        const handle = await open(t, adapter)
        assert.equal(await handle.cache.setIfAbsent('k', 'first', 1), true)
        await waitForExpiry(handle, 'k', 1)
        assert.equal(await handle.cache.setIfAbsent('k', 'second', 60), true)
        assert.equal(await handle.cache.get('k'), 'second')
      })

      it('lets exactly one of 20 concurrent callers win', async (t) => {
        const handle = await open(t, adapter)
        const results = await race(20, await clients(handle), (c, i) => c.setIfAbsent('k', `v${i}`, 60))
        assert.equal(results.filter(Boolean).length, 1)
        assert.equal(await handle.cache.get('k'), `v${results.indexOf(true)}`)
      })
    })

    describe('delete and getAndDelete', () => {
      it('delete returns true when the key existed, then false', async (t) => {
        const { cache } = await open(t, adapter)
        await cache.set('k', 'v')
        assert.equal(await cache.delete('k'), true)
        assert.equal(await cache.delete('k'), false)
        assert.equal(await cache.get('k'), undefined)
      })

      it('getAndDelete returns the value once and undefined after', async (t) => {
        const { cache } = await open(t, adapter)
        await cache.set('k', 'v', 60)
        assert.equal(await cache.getAndDelete('k'), 'v')
        assert.equal(await cache.getAndDelete('k'), undefined)
        assert.equal(await cache.get('k'), undefined)
      })

      it('hands the value to exactly one of 20 concurrent getAndDelete callers', async (t) => {
        const handle = await open(t, adapter)
        await handle.cache.set('k', 'v', 60)
        const results = await race(20, await clients(handle), c => c.getAndDelete('k'))
        assert.equal(results.filter(r => r === 'v').length, 1)
        assert.equal(results.filter(r => r === undefined).length, 19)
      })
    })

    describe('incr', () => {
      it('counts 1, 2, 3 from a missing key', async (t) => {
        const { cache } = await open(t, adapter)
        assert.equal(await cache.incr('n', 60), 1)
        assert.equal(await cache.incr('n', 60), 2)
        assert.equal(await cache.incr('n', 60), 3)
        assert.equal(await cache.get('n'), '3')
      })

      it('adds the given amount', async (t) => {
        const { cache } = await open(t, adapter)
        assert.equal(await cache.incr('n', 60, 5), 5)
        assert.equal(await cache.incr('n', 60, 3), 8)
        assert.equal(await cache.incr('n', 60, -2), 6)
      })

      it('sets the TTL when it creates the key and never extends it', async (t) => {
        const handle = await open(t, adapter)
        await handle.cache.incr('n', 100)
        const first = await handle.cache.ttl('n')
        assert.ok(first !== undefined && first > 0 && first <= 100, `ttl ${first}`)
        handle.advance?.(30_000)
        await handle.cache.incr('n', 1000)
        await handle.cache.incr('n', 100)
        const later = await handle.cache.ttl('n')
        assert.ok(later !== undefined && later > 0 && later <= first, `ttl ${later} after ${first}`)
        if (handle.advance) assert.equal(later, 70)
      })

      it('starts again from 1 once the counter has expired', async (t) => {
        const handle = await open(t, adapter)
        assert.equal(await handle.cache.incr('n', 1), 1)
        assert.equal(await handle.cache.incr('n', 1), 2)
        await waitForExpiry(handle, 'n', 1)
        assert.equal(await handle.cache.incr('n', 60), 1)
        const ttl = await handle.cache.ttl('n')
        assert.ok(ttl !== undefined && ttl > 0 && ttl <= 60, `ttl ${ttl}`)
      })

      it('leaves an existing key without expiry as it is', async (t) => {
        const { cache } = await open(t, adapter)
        await cache.set('n', '10')
        assert.equal(await cache.incr('n', 60), 11)
        assert.equal(await cache.ttl('n'), -1)
      })

      it('rejects when the stored value is not an integer', async (t) => {
        const { cache } = await open(t, adapter)
        await cache.set('n', 'abc')
        await assert.rejects(cache.incr('n', 60))
        assert.equal(await cache.get('n'), 'abc')
      })

      it('loses no increment among 50 concurrent callers and sets the TTL', async (t) => {
        const handle = await open(t, adapter)
        const results = await race(50, await clients(handle), c => c.incr('n', 60))
        assert.deepEqual(results.toSorted((a, b) => a - b), Array.from({ length: 50 }, (_, i) => i + 1))
        assert.equal(await handle.cache.get('n'), '50')
        const ttl = await handle.cache.ttl('n')
        assert.ok(ttl !== undefined && ttl > 0 && ttl <= 60, `ttl ${ttl}`)
      })
    })

    describe('admitInOrder', () => {
      const steps = [
        { key: 'cool', kind: 'once', ttlSeconds: 30 },
        { key: 'minute', kind: 'count', ttlSeconds: 60, limit: 2 },
        { key: 'hour', kind: 'count', ttlSeconds: 3600, limit: 10 }
      ] as const

      it('takes every step when none refuses, setting each TTL on creation', async (t) => {
        const { cache } = await open(t, adapter)
        assert.equal(await cache.admitInOrder(steps), undefined)
        assert.deepEqual([await cache.get('cool'), await cache.get('minute'), await cache.get('hour')], ['1', '1', '1'])
        const ttl = await cache.ttl('hour')
        assert.ok(ttl !== undefined && ttl > 60 && ttl <= 3600, `ttl ${ttl}`)
      })

      it('stops at a present marker: later counters are not taken', async (t) => {
        const { cache } = await open(t, adapter)
        await cache.admitInOrder(steps)
        const refusal = await cache.admitInOrder(steps)
        assert.equal(refusal?.index, 0)
        assert.ok(refusal.ttlSeconds !== undefined && refusal.ttlSeconds > 0 && refusal.ttlSeconds <= 30, `ttl ${refusal.ttlSeconds}`)
        assert.deepEqual([await cache.get('minute'), await cache.get('hour')], ['1', '1'])
      })

      it('stops past a limit: that counter keeps its count, later ones are not taken', async (t) => {
        const { cache } = await open(t, adapter)
        const counters = steps.slice(1)
        assert.equal(await cache.admitInOrder(counters), undefined)
        assert.equal(await cache.admitInOrder(counters), undefined)
        const refusal = await cache.admitInOrder(counters)
        assert.equal(refusal?.index, 0)
        assert.ok(refusal.ttlSeconds !== undefined && refusal.ttlSeconds > 0 && refusal.ttlSeconds <= 60)
        assert.deepEqual([await cache.get('minute'), await cache.get('hour')], ['3', '2'])
      })

      it('lets exactly the limit through among 20 concurrent callers', async (t) => {
        const handle = await open(t, adapter)
        const results = await race(20, await clients(handle), c => c.admitInOrder([{ key: 'n', kind: 'count', ttlSeconds: 60, limit: 5 }]))
        assert.equal(results.filter(r => r === undefined).length, 5)
      })
    })

    describe('ttl', () => {
      it('is undefined for a missing key and -1 for a key without expiry', async (t) => {
        const { cache } = await open(t, adapter)
        assert.equal(await cache.ttl('missing'), undefined)
        await cache.set('k', 'v')
        assert.equal(await cache.ttl('k'), -1)
      })

      it('counts down the seconds left', async (t) => {
        const handle = await open(t, adapter)
        await handle.cache.set('k', 'v', 60)
        const ttl = await handle.cache.ttl('k')
        assert.ok(ttl !== undefined && ttl > 0 && ttl <= 60, `ttl ${ttl}`)
        if (handle.advance) {
          handle.advance(20_000)
          assert.equal(await handle.cache.ttl('k'), 40)
        }
      })
    })

    it('keeps the keys of two caches apart', async (t) => {
      const a = await open(t, adapter)
      const b = await open(t, adapter)
      await a.cache.set('shared', 'a')
      assert.equal(await b.cache.get('shared'), undefined)
      await b.cache.set('shared', 'b')
      assert.equal(await a.cache.get('shared'), 'a')
      assert.equal(await b.cache.getAndDelete('shared'), 'b')
      assert.equal(await a.cache.get('shared'), 'a')
    })

    it('answers ping', async (t) => {
      const { cache } = await open(t, adapter)
      await cache.ping()
      assert.equal(cache.kind, adapter.name)
    })
  })
}

describe('redis opener', () => {
  it('rejects with an error naming the URL without credentials when Redis is unreachable', { timeout: 10_000 }, async () => {
    await assert.rejects(
      openRedisCache({ url: 'redis://user:s3cret@127.0.0.1:1/0' }),
      (err: Error) => {
        assert.match(err.message, /unreachable at redis:\/\/127\.0\.0\.1:1\/0/)
        assert.doesNotMatch(err.message, /s3cret/)
        return true
      }
    )
  })

  it('picks the memory cache when no Redis URL is given', async () => {
    const cache = await openCache({ redisUrl: '', prefix: 'x:' })
    assert.equal(cache.kind, 'memory')
    await cache.close()
  })

  const url = process.env.REDIS_URL
  it('stores keys under the prefix, and cleanup removes them all', { skip: !url && 'REDIS_URL is not set' }, async (t) => {
    const handle = await openTestCache()
    const raw = await openRedisCache({ url: url! })
    t.after(() => raw.close())
    await handle.cache.set('a', '1')
    await handle.cache.incr('b', 60)
    assert.equal(await raw.get(`${handle.prefix}a`), '1')
    assert.equal(await raw.get(`${handle.prefix}b`), '1')
    await handle.cleanup()
    assert.deepEqual(await raw.client.keys(`${handle.prefix}*`), [])
  })

  it('opens Redis through openCache when a URL is given', { skip: !url && 'REDIS_URL is not set' }, async () => {
    const cache = await openCache({ redisUrl: url, prefix: 't:open-cache:' })
    assert.equal(cache.kind, 'redis')
    await cache.ping()
    await cache.close()
  })
})
