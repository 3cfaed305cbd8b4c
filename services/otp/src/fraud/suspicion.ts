import { KitErrors } from '@app/kit/errors'

export type AbuseReason = 'country_not_allowed' | 'prefix_velocity' | 'distinct_destinations' | 'conversion_collapse'

/** A defence's finding: why, about what, and when the refusal would lift. */
export interface Suspicion {
  reason: AbuseReason
  country?: string | undefined
  prefix?: string | undefined
  /** For the 429's RateLimit-Limit header. */
  limit: number
  retryAfterSeconds: number
  detail: string
}

/** The `otp.abuse_suspected` payload: never the full number. */
export interface AbuseSuspected {
  reason: AbuseReason
  mode: 'enforce' | 'record'
  country?: string
  prefix?: string
  destinationHash?: string
}

/** Seconds left in the fixed window of `seconds` that `now` falls in, and that window's number. */
export function windowAt (now: Date, seconds: number): { bucket: number, secondsLeft: number } {
  const ms = now.getTime()
  const bucket = Math.floor(ms / (seconds * 1000))
  return { bucket, secondsLeft: Math.max(1, Math.ceil(((bucket + 1) * seconds * 1000 - ms) / 1000)) }
}

export function refusal (suspicion: Suspicion) {
  const retryAfter = String(suspicion.retryAfterSeconds)
  return KitErrors.rate_limited({
    detail: suspicion.detail,
    headers: { 'retry-after': retryAfter, 'ratelimit-limit': String(suspicion.limit), 'ratelimit-remaining': '0', 'ratelimit-reset': retryAfter }
  })
}
