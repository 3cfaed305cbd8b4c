import type { RedisCache } from '@app/kit/cache'
import { createLocalBuckets } from './rate-limit-bucket.ts'
import type { BucketRule, Decision, Taken } from './rate-limit-bucket.ts'
import { createLeases } from './rate-limit-leases.ts'

/** One limit (a scope such as `ip` or `group.sensitive`) whose buckets are keyed by client, user or nothing. */
export interface Bucket {
  readonly rule: BucketRule
  /** Spends one token of `id`'s bucket; synchronous whenever no shared state has to be asked. */
  check(id: string): Decision | Promise<Decision>
}

export interface RateLimitStore {
  bucket(scope: string, rule: BucketRule): Bucket
  /** True while buckets are per instance because Redis failed (or is disconnected). */
  isDegraded(): boolean
}

// The same arithmetic as takeTokens (rate-limit-bucket.ts), on the caller's
// clock (ARGV[1], ms) so that tests can drive it; time never runs backwards
// for a bucket. A bucket that would be full again has expired: a missing key
// is a full bucket. Floats are returned as strings (Redis truncates numbers).
const TAKE_TOKENS = `
local now = tonumber(ARGV[1])
local rate = tonumber(ARGV[2])
local burst = tonumber(ARGV[3])
local want = tonumber(ARGV[4])
local state = redis.call('HMGET', KEYS[1], 't', 'a')
local tokens = tonumber(state[1])
local at = tonumber(state[2])
if tokens == nil or at == nil then
  tokens = burst
  at = now
end
if now > at then
  tokens = math.min(burst, tokens + (now - at) * rate)
  at = now
end
local granted = math.max(0, math.min(want, math.floor(tokens + 1e-9)))
tokens = tokens - granted
local wait = 0
if tokens + 1e-9 < 1 then wait = math.ceil((1 - tokens) / rate) end
redis.call('HSET', KEYS[1], 't', string.format('%.17g', tokens), 'a', string.format('%.17g', at))
redis.call('PEXPIRE', KEYS[1], string.format('%d', math.min(math.ceil((burst - tokens) / rate) + 1000, 1e15)))
return {granted, string.format('%.17g', tokens), wait}`

// After a Redis failure, /readyz says degraded for this long even if the next command succeeds.
const DEGRADED_FOR_MS = 30_000

export interface RateLimitStoreOptions {
  /** The shared Redis; absent means the buckets are per instance. */
  redis?: RedisCache | undefined
  /** Prepended to every Redis key. */
  prefix: string
  log: { warn(obj: object, msg: string): void }
  /** The clock of every bucket (ms); tests move it instead of waiting. */
  now?: () => number
}

type ScriptedRedis = RedisCache['client'] & {
  gatewayTakeTokens(key: string, now: number, ratePerMs: string, burst: number, want: number): Promise<[number, string, number]>
}

// Not a failure: the cache reports its own disconnections, and /readyz says degraded meanwhile.
const DISCONNECTED = new Error('Redis is disconnected')

/**
 * Token buckets in the shared Redis, so every gateway instance enforces one
 * limit, leased a few tokens at a time (rate-limit-leases.ts). When Redis
 * fails, buckets are kept in this process instead of letting every request
 * through or refusing them all, so the limit holds per instance until Redis
 * is back; the next request after it reconnects uses Redis again.
 */
export function createRateLimitStore (options: RateLimitStoreOptions): RateLimitStore {
  const now = options.now ?? Date.now
  const client = options.redis?.client
  if (client && !('gatewayTakeTokens' in client)) client.defineCommand('gatewayTakeTokens', { numberOfKeys: 1, lua: TAKE_TOKENS })
  const redis = client as ScriptedRedis | undefined
  let failedAt = -Infinity

  const noteFailure = (err: unknown) => {
    if (err === DISCONNECTED) return
    const t = Date.now()
    if (t - failedAt > DEGRADED_FOR_MS) options.log.warn({ err }, 'rate-limit store unreachable, limiting per instance')
    failedAt = t
  }

  return {
    bucket (scope, rule) {
      const local = createLocalBuckets(rule, now)
      if (!redis) return { rule, check: id => local.take(id) }
      const ratePerMs = String(rule.ratePerSecond / 1000)
      const keyPrefix = `${options.prefix}${scope}:`
      const leases = createLeases(rule, async (id, want, t): Promise<Taken> => {
        // A disconnected client would queue the command until it gives up; count locally at once.
        if (!options.redis?.isConnected()) throw DISCONNECTED
        const [granted, tokens, waitMs] = await redis.gatewayTakeTokens(keyPrefix + id, t, ratePerMs, rule.burst, want)
        return { granted: Number(granted), tokens: Number(tokens), waitMs: Number(waitMs) }
      }, now)
      const fallBack = (id: string) => (err: unknown) => {
        noteFailure(err)
        return local.take(id)
      }
      return {
        rule,
        check (id) {
          if (!options.redis?.isConnected()) return local.take(id)
          const decision = leases.take(id)
          return decision instanceof Promise ? decision.catch(fallBack(id)) : decision
        }
      }
    },
    isDegraded () {
      if (!options.redis) return false
      return !options.redis.isConnected() || Date.now() - failedAt < DEGRADED_FOR_MS
    }
  }
}
