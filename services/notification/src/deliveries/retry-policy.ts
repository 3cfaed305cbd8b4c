export interface RetryPolicy {
  /** Delay before the second attempt, in milliseconds; doubled after each failure. */
  baseMs: number
  /** Longest delay, in milliseconds. */
  maxMs: number
}

/** A provider's Retry-After is honoured up to a day; beyond that it is more likely a bug than a plan. */
const MAX_RETRY_AFTER_MS = 86_400_000

/**
 * How long to wait after failed attempt number `attempt` (1 for the first):
 * exponential, with "equal jitter" (half the delay fixed, half random) so a
 * burst of failures does not retry in lockstep, and never sooner than the
 * provider asked (429 Retry-After).
 */
export function retryDelayMs (attempt: number, policy: RetryPolicy, retryAfterMs?: number, random = Math.random): number {
  const exponential = Math.min(policy.maxMs, policy.baseMs * 2 ** Math.max(0, attempt - 1))
  const jittered = exponential / 2 + random() * (exponential / 2)
  return Math.round(Math.max(jittered, Math.min(retryAfterMs ?? 0, MAX_RETRY_AFTER_MS)))
}
