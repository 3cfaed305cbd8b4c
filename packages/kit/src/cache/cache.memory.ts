import type { Cache } from './cache.ts'

export interface MemoryCacheOptions {
  /** The clock in epoch milliseconds; tests inject one to advance time without sleeping. */
  now?: () => number
  /** How often expired entries are swept out, in milliseconds (default 60 000). */
  sweepIntervalMs?: number
}

interface Entry {
  value: string
  /** Epoch milliseconds, or `undefined` for no expiry. */
  expiresAt: number | undefined
}

const INTEGER = /^-?\d+$/

/**
 * The embedded cache: one process, one Map. Every operation runs synchronously
 * inside its promise, so `setIfAbsent`, `incr` and `getAndDelete` are atomic
 * within the process.
 */
export function createMemoryCache (options: MemoryCacheOptions = {}): Cache {
  const now = options.now ?? Date.now
  const entries = new Map<string, Entry>()

  function live (key: string): Entry | undefined {
    const entry = entries.get(key)
    if (entry === undefined) return undefined
    if (entry.expiresAt !== undefined && entry.expiresAt <= now()) {
      entries.delete(key)
      return undefined
    }
    return entry
  }

  function expiry (ttlSeconds: number | undefined): number | undefined {
    return ttlSeconds === undefined ? undefined : now() + ttlSeconds * 1000
  }

  function sweep (): void {
    const t = now()
    for (const [key, entry] of entries) {
      if (entry.expiresAt !== undefined && entry.expiresAt <= t) entries.delete(key)
    }
  }

  // Lazy expiry alone would keep keys that are written once and never read again.
  const timer = setInterval(sweep, options.sweepIntervalMs ?? 60_000)
  timer.unref()

  const cache: Cache = {
    kind: 'memory',
    async get (key) {
      return live(key)?.value
    },
    async set (key, value, ttlSeconds) {
      entries.set(key, { value, expiresAt: expiry(ttlSeconds) })
    },
    async setIfAbsent (key, value, ttlSeconds) {
      if (live(key) !== undefined) return false
      entries.set(key, { value, expiresAt: expiry(ttlSeconds) })
      return true
    },
    async delete (key) {
      return live(key) !== undefined && entries.delete(key)
    },
    async getAndDelete (key) {
      const entry = live(key)
      if (entry === undefined) return undefined
      entries.delete(key)
      return entry.value
    },
    async incr (key, ttlSeconds, by = 1) {
      const entry = live(key)
      if (entry === undefined) {
        entries.set(key, { value: String(by), expiresAt: expiry(ttlSeconds) })
        return by
      }
      // Same failure as Redis INCRBY, so callers behave alike on both adapters.
      if (!INTEGER.test(entry.value)) throw new Error(`cache value of ${key} is not an integer`)
      const next = Number(entry.value) + by
      entry.value = String(next)
      return next
    },
    async admitInOrder (steps) {
      for (const [index, step] of steps.entries()) {
        const refused = step.kind === 'once'
          ? !await cache.setIfAbsent(step.key, '1', step.ttlSeconds)
          : await cache.incr(step.key, step.ttlSeconds) > (step.limit ?? Infinity)
        if (refused) return { index, ttlSeconds: await cache.ttl(step.key) }
      }
      return undefined
    },
    async ttl (key) {
      const entry = live(key)
      if (entry === undefined) return undefined
      if (entry.expiresAt === undefined) return -1
      // Redis rounds the remaining milliseconds to the nearest second.
      return Math.round((entry.expiresAt - now()) / 1000)
    },
    async ping () {},
    async close () {
      clearInterval(timer)
    }
  }
  return cache
}
