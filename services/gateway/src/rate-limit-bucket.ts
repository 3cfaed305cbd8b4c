/** A token bucket: `burst` tokens at most, refilled at `ratePerSecond`; a request spends one. */
export interface BucketRule {
  ratePerSecond: number
  burst: number
}

/** What a bucket answered for one request. */
export interface Decision {
  allowed: boolean
  /** The bucket's size (its burst): the `RateLimit-Limit` shown. */
  limit: number
  /** Whole tokens left after this request. */
  remaining: number
  /** Milliseconds until the bucket is full again. */
  resetMs: number
  /** Refused: milliseconds until the next token. */
  retryMs: number
}

/** What taking up to `want` tokens did: how many were granted, and what the bucket holds after. */
export interface Taken {
  granted: number
  /** Tokens left (fractional: refill is continuous). */
  tokens: number
  /** Milliseconds until the bucket holds one whole token again; 0 when it does. */
  waitMs: number
}

export interface BucketState {
  tokens: number
  /** When `tokens` was last brought up to date (ms, the caller's clock). */
  at: number
}

// 0.9999999 tokens after float arithmetic is one token; keeps the refill time exact.
const EPSILON = 1e-9

/**
 * Refills `state` up to `now` and takes up to `want` whole tokens. The same
 * arithmetic as the Redis script (rate-limit-store.ts): an instance that
 * counts locally decides as Redis would. A clock that went back refills nothing.
 */
export function takeTokens (state: BucketState, rule: BucketRule, now: number, want: number): Taken {
  const ratePerMs = rule.ratePerSecond / 1000
  if (now > state.at) {
    state.tokens = Math.min(rule.burst, state.tokens + (now - state.at) * ratePerMs)
    state.at = now
  }
  const granted = Math.max(0, Math.min(want, Math.floor(state.tokens + EPSILON)))
  state.tokens -= granted
  const waitMs = state.tokens + EPSILON >= 1 ? 0 : Math.ceil((1 - state.tokens) / ratePerMs)
  return { granted, tokens: state.tokens, waitMs }
}

/** The decision for one request, given the bucket's tokens after it. */
export function decisionFor (rule: BucketRule, allowed: boolean, tokens: number, waitMs: number): Decision {
  const msPerToken = 1000 / rule.ratePerSecond
  const level = Math.min(rule.burst, Math.max(0, tokens))
  return {
    allowed,
    limit: rule.burst,
    remaining: Math.floor(level + EPSILON),
    resetMs: (rule.burst - level) * msPerToken,
    retryMs: allowed ? 0 : waitMs
  }
}

const MAX_LOCAL_KEYS = 50_000

/** Token buckets in this process, one per key; a full bucket is forgotten (it is the same as a new one). */
export function createLocalBuckets (rule: BucketRule, now: () => number = Date.now) {
  const buckets = new Map<string, BucketState>()
  const msToFull = (state: BucketState) => (rule.burst - state.tokens) * 1000 / rule.ratePerSecond

  const sweep = (t: number) => {
    for (const [key, state] of buckets) if (state.at + msToFull(state) <= t) buckets.delete(key)
    // Still full of live keys (a flood of distinct clients): forget the oldest, which only loosens their limit.
    for (const key of buckets.keys()) {
      if (buckets.size < MAX_LOCAL_KEYS) break
      buckets.delete(key)
    }
  }

  return {
    take (key: string): Decision {
      const t = now()
      let state = buckets.get(key)
      if (!state) {
        if (buckets.size >= MAX_LOCAL_KEYS) sweep(t)
        state = { tokens: rule.burst, at: t }
        buckets.set(key, state)
      }
      const taken = takeTokens(state, rule, t, 1)
      return decisionFor(rule, taken.granted === 1, taken.tokens, taken.waitMs)
    }
  }
}
