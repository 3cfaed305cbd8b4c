import type { Logger } from '../log/index.ts'
import type { Cache } from './cache.ts'
import { createMemoryCache } from './cache.memory.ts'
import type { RedisCache } from './cache.redis.ts'

export type FallbackCache = Cache & {
  /** True while the shared cache is failing and this instance counts on its own. */
  isDegraded(): boolean
  /** The shared cache behind the fallback (for code that needs its own Redis commands). */
  shared: Cache
}

/** Redis reports whether its connection is up; a cache that cannot tell is assumed up. */
const isUp = (cache: Cache) => (cache as Partial<RedisCache>).isConnected?.() ?? true

/**
 * The shared cache, or, while it fails, a per-instance memory cache: limits
 * and counters keep working (per instance, so looser across instances) instead
 * of failing open or refusing everything. Callers report `isDegraded()` in
 * `/readyz`. While the connection is known to be down, calls go straight to
 * the local cache instead of waiting for a command timeout; they return to the
 * shared cache as soon as it reconnects.
 */
export function withLocalFallback (shared: Cache, log: Pick<Logger, 'warn' | 'info'>): FallbackCache {
  if (shared.kind === 'memory') return { ...shared, isDegraded: () => false, shared }
  const local = createMemoryCache()
  let degraded = false

  function degrade (err: unknown): void {
    if (degraded) return
    degraded = true
    log.warn({ err }, 'shared cache failed; counting per instance until it is back')
  }

  async function attempt<T> (run: (cache: Cache) => Promise<T>): Promise<T> {
    if (!isUp(shared)) {
      degrade(new Error('not connected'))
      return run(local)
    }
    try {
      const value = await run(shared)
      if (degraded) {
        degraded = false
        log.info('shared cache is back; counting there again')
      }
      return value
    } catch (err) {
      degrade(err)
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
    admitInOrder: steps => attempt(c => c.admitInOrder(steps)),
    ttl: key => attempt(c => c.ttl(key)),
    // Pings the shared cache: readiness asks, and an answer ends the degraded state.
    async ping () {
      if (!isUp(shared)) throw new Error('the shared cache is not connected')
      await shared.ping()
      if (degraded) {
        degraded = false
        log.info('shared cache is back; counting there again')
      }
    },
    close: async () => { await local.close() },
    isDegraded: () => degraded || !isUp(shared),
    shared
  }
}
