import type { Logger } from '../log/index.ts'
import type { Cache } from './cache.ts'
import { createMemoryCache } from './cache.memory.ts'
import { openRedisCache } from './cache.redis.ts'

export interface OpenCacheOptions {
  /** Empty or absent selects the in-process memory cache. */
  redisUrl?: string | undefined
  /** Prepended to every Redis key, e.g. `otp:`; the memory cache is private to its owner and needs none. */
  prefix: string
  log?: Pick<Logger, 'warn' | 'info'> | undefined
  /** Do not wait for Redis: connect in the background (see `RedisCacheOptions.background`). */
  background?: boolean
}

/** Redis when a URL is configured, otherwise the memory cache. Rejects when the configured Redis is unreachable. */
export async function openCache (options: OpenCacheOptions): Promise<Cache> {
  if (!options.redisUrl) return createMemoryCache()
  return openRedisCache({ url: options.redisUrl, prefix: options.prefix, log: options.log, background: options.background ?? false })
}
