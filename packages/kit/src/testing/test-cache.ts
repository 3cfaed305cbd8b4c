import { randomBytes } from 'node:crypto'
import type { Cache } from '../cache/cache.ts'
import { createMemoryCache } from '../cache/cache.memory.ts'
import { openRedisCache } from '../cache/cache.redis.ts'
import type { RedisCache } from '../cache/cache.redis.ts'
import { trackLeftover } from './leftovers.ts'

export interface TestCache {
  cache: Cache
  /** Deletes every key the test wrote (Redis) and closes every connection opened for it. */
  cleanup(): Promise<void>
  /** Another connection to the same keyspace, to race operations across clients (memory: the same cache). */
  peer(): Promise<Cache>
  /** Moves the injected clock forward; only on a memory cache opened with a manual clock. */
  advance?: (ms: number) => void
  /** The key prefix of this test's Redis keys; Redis only. */
  prefix?: string
}

export interface CacheAdapter {
  name: 'memory' | 'redis'
  open(): Promise<TestCache>
}

/**
 * A cache for a test: Redis under a fresh key prefix when `REDIS_URL` is set
 * (as in CI), otherwise a memory cache.
 */
export async function openTestCache (): Promise<TestCache> {
  const url = process.env.REDIS_URL
  return url ? openTestRedisCache(url) : openTestMemoryCache(false)
}

/** The adapters the cache contract suite runs against: memory always, Redis when `REDIS_URL` is set. */
export function cacheAdapters (): CacheAdapter[] {
  const adapters: CacheAdapter[] = [{ name: 'memory', open: () => openTestMemoryCache(true) }]
  const url = process.env.REDIS_URL
  if (url) adapters.push({ name: 'redis', open: () => openTestRedisCache(url) })
  return adapters
}

async function openTestMemoryCache (manualClock: boolean): Promise<TestCache> {
  let now = Date.now()
  const cache = manualClock ? createMemoryCache({ now: () => now }) : createMemoryCache()
  const handle: TestCache = {
    cache,
    cleanup: () => cache.close(),
    peer: async () => cache
  }
  if (manualClock) handle.advance = (ms) => { now += ms }
  return handle
}

async function openTestRedisCache (url: string): Promise<TestCache> {
  const prefix = `t:${Date.now().toString(36)}${randomBytes(4).toString('hex')}:`
  const forget = trackLeftover(`Redis keys ${prefix}*`, () => deleteCacheKeys(url, prefix))
  const cache = await openRedisCache({ url, prefix })
  const peers: RedisCache[] = []
  return {
    cache,
    prefix,
    async peer () {
      const peer = await openRedisCache({ url, prefix })
      peers.push(peer)
      return peer
    },
    async cleanup () {
      try {
        await deleteByPrefix(cache, prefix)
        forget()
      } finally {
        await Promise.allSettled([cache, ...peers].map(c => c.close()))
      }
    }
  }
}

async function deleteByPrefix (cache: RedisCache, prefix: string): Promise<void> {
  // The prefix is random hex, so it holds no glob metacharacters.
  let cursor = '0'
  do {
    const [next, keys] = await cache.client.scan(cursor, 'MATCH', `${prefix}*`, 'COUNT', 500)
    if (keys.length > 0) await cache.client.unlink(...keys)
    cursor = next
  } while (cursor !== '0')
}

/** Deletes every Redis key under a prefix: what child processes of a test wrote with `CACHE_PREFIX`. */
export async function deleteCacheKeys (redisUrl: string, prefix: string): Promise<void> {
  const cache = await openRedisCache({ url: redisUrl })
  try {
    await deleteByPrefix(cache, prefix)
  } finally {
    await cache.close()
  }
}
