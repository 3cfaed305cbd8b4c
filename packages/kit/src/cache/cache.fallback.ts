import type { Logger } from '../log/index.ts'
import type { Cache } from './cache.ts'
import { createMemoryCache } from './cache.memory.ts'

export type FallbackCache = Cache & {
  /** True while the shared cache is failing and this instance counts on its own. */
  isDegraded(): boolean
}

/**
 * The shared cache, or, while it fails, a per-instance memory cache: limits
 * and counters keep working (per instance, so looser across instances) instead
 * of failing open or refusing everything. Callers report `isDegraded()` in
 * `/readyz`. The shared cache is tried again on every call, so recovery is
 * immediate.
 */
export function withLocalFallback (shared: Cache, log: Pick<Logger, 'warn' | 'info'>): FallbackCache {
  if (shared.kind === 'memory') return { ...shared, isDegraded: () => false }
  const local = createMemoryCache()
  let degraded = false

  async function attempt<T> (run: (cache: Cache) => Promise<T>): Promise<T> {
    try {
      const value = await run(shared)
      if (degraded) {
        degraded = false
        log.info('shared cache is back; counting there again')
      }
      return value
    } catch (err) {
      if (!degraded) {
        degraded = true
        log.warn({ err }, 'shared cache failed; counting per instance until it is back')
      }
      return run(local)
    }
  }

  return {
    kind: shared.kind,
    get: key => attempt(c => c.get(key)),
    set: (key, value, ttl) => attempt(c => c.set(key, value, ttl)),
    setIfAbsent: (key, value, ttl) => attempt(c => c.setIfAbsent(key, value, ttl)),
    delete: key => attempt(c => c.delete(key)),
    getAndDelete: key => attempt(c => c.getAndDelete(key)),
    incr: (key, ttl, by) => attempt(c => c.incr(key, ttl, by)),
    ttl: key => attempt(c => c.ttl(key)),
    ping: () => shared.ping(),
    close: async () => { await local.close() },
    isDegraded: () => degraded
  }
}
