import type { FastifyRateLimitStore, FastifyRateLimitStoreCtor } from '@fastify/rate-limit'
import type { RedisCache } from '@app/kit/cache'
import { createSharedCounter } from './rate-limit-leases.ts'
import type { Counted } from './rate-limit-leases.ts'

type Incr = FastifyRateLimitStore['incr']

export interface RateLimitStore {
  incr: Incr
  child(): RateLimitStore
  /** True while counts are per instance because Redis failed (or is disconnected). */
  isDegraded(): boolean
}

// INCRBY and PEXPIRE in one step; a key that somehow lost its expiry gets one again.
const RESERVE_IN_WINDOW = `
local current = redis.call('INCRBY', KEYS[1], ARGV[2])
local ttl = redis.call('PTTL', KEYS[1])
if ttl < 0 then
  redis.call('PEXPIRE', KEYS[1], ARGV[1])
  ttl = tonumber(ARGV[1])
end
return {current, ttl}`

const MAX_LOCAL_KEYS = 50_000
// After a Redis failure, /readyz says degraded for this long even if the next command succeeds.
const DEGRADED_FOR_MS = 30_000

/** Fixed-window counters in this process. */
export function createLocalCounters (now: () => number = Date.now) {
  const windows = new Map<string, { count: number, resetAt: number }>()
  const sweep = () => {
    const t = now()
    for (const [key, w] of windows) if (w.resetAt <= t) windows.delete(key)
    // Still full of live keys (a flood of distinct clients): forget the oldest.
    for (const key of windows.keys()) {
      if (windows.size < MAX_LOCAL_KEYS) break
      windows.delete(key)
    }
  }
  return {
    incr (key: string, windowMs: number): Counted {
      const t = now()
      let w = windows.get(key)
      if (!w || w.resetAt <= t) {
        if (windows.size >= MAX_LOCAL_KEYS) sweep()
        w = { count: 0, resetAt: t + windowMs }
        windows.set(key, w)
      }
      w.count++
      return { current: w.count, ttl: w.resetAt - t }
    }
  }
}

export interface RateLimitStoreOptions {
  /** The shared Redis; absent means the counters are per instance. */
  redis?: RedisCache | undefined
  /** Prepended to every Redis key. */
  prefix: string
  log: { warn(obj: object, msg: string): void }
}

type ScriptedRedis = RedisCache['client'] & {
  gatewayReserve(key: string, windowMs: number, by: number): Promise<[number, number]>
}

// Not a failure: the cache reports its own disconnections, and /readyz says degraded meanwhile.
const DISCONNECTED = new Error('Redis is disconnected')

/**
 * Counts in the shared Redis so every gateway instance enforces one limit;
 * when Redis fails, counts locally instead of letting every request through or
 * refusing them all, so the limit holds per instance until Redis is back.
 */
export function createRateLimitStore (options: RateLimitStoreOptions): RateLimitStore {
  const local = createLocalCounters()
  const client = options.redis?.client
  if (client && !('gatewayReserve' in client)) client.defineCommand('gatewayReserve', { numberOfKeys: 1, lua: RESERVE_IN_WINDOW })
  const redis = client as ScriptedRedis | undefined
  const shared = redis && createSharedCounter(async (key, windowMs, by) => {
    // A disconnected client would queue the command until it gives up; count locally at once.
    if (!options.redis?.isConnected()) throw DISCONNECTED
    const [current, ttl] = await redis.gatewayReserve(options.prefix + key, windowMs, by)
    return [Number(current), Number(ttl)]
  })
  let failedAt = 0

  const countShared = async (key: string, windowMs: number, max: number): Promise<Counted | undefined> => {
    if (!shared) return undefined
    try {
      return await shared.incr(key, windowMs, max)
    } catch (err) {
      if (err === DISCONNECTED) return undefined
      if (Date.now() - failedAt > DEGRADED_FOR_MS) options.log.warn({ err }, 'rate-limit store unreachable, counting per instance')
      failedAt = Date.now()
      return undefined
    }
  }

  const store: RateLimitStore = {
    incr (key, callback, timeWindow, max) {
      countShared(key, timeWindow, max).then(
        counted => callback(null, counted ?? local.incr(key, timeWindow)),
        err => callback(err as Error)
      )
    },
    // Each limiter's keys carry its own name, so one store serves them all.
    child: () => store,
    isDegraded () {
      if (!options.redis) return false
      return !options.redis.isConnected() || Date.now() - failedAt < DEGRADED_FOR_MS
    }
  }
  return store
}

/** The plugin builds its store with `new`; a function returning an object makes `new` yield that object. */
export function storeConstructor (store: RateLimitStore): FastifyRateLimitStoreCtor {
  return function RateLimitStore () { return store } as unknown as FastifyRateLimitStoreCtor
}
