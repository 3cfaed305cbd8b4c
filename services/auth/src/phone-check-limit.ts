import type { Cache } from '@app/kit/cache'
import { createMemoryCache } from '@app/kit/cache'
import { KitErrors } from '@app/kit/errors'

export interface PhoneCheckLimitSettings {
  /** Checks one client IP may make per window, over all numbers: enumeration needs many. */
  perIp: number
  /** Checks of one number per window, from anywhere. */
  perNumber: number
  windowSeconds: number
}

export const PHONE_CHECK_LIMITS: PhoneCheckLimitSettings = { perIp: 10, perNumber: 5, windowSeconds: 600 }

/**
 * `phone/check` tells whether a number has an account. The gateway limits it,
 * but a caller that reaches the auth port directly must be limited as well, so
 * the service counts too: per client IP and per number, in fixed windows of the
 * injected clock. Without the shared cache the counts are per instance.
 */
export function createPhoneCheckLimit (cache: Cache | undefined, now: () => Date, settings: PhoneCheckLimitSettings = PHONE_CHECK_LIMITS) {
  const counters = cache ?? createMemoryCache({ now: () => now().getTime() })

  async function count (key: string, limit: number, detail: string): Promise<void> {
    const ms = now().getTime()
    const bucket = Math.floor(ms / (settings.windowSeconds * 1000))
    if (await counters.incr(`auth:phone-check:${key}:${bucket}`, settings.windowSeconds + 1) <= limit) return
    const retryAfter = String(Math.max(1, Math.ceil(((bucket + 1) * settings.windowSeconds * 1000 - ms) / 1000)))
    throw KitErrors.rate_limited({
      detail,
      headers: { 'retry-after': retryAfter, 'ratelimit-limit': String(limit), 'ratelimit-remaining': '0', 'ratelimit-reset': retryAfter }
    })
  }

  return {
    async admit (ip: string | undefined, phone: string): Promise<void> {
      await count(`ip:${ip ?? 'unknown'}`, settings.perIp, 'Too many phone number checks from this address; try again later')
      await count(`number:${phone}`, settings.perNumber, 'Too many checks of this phone number; try again later')
    }
  }
}

export type PhoneCheckLimit = ReturnType<typeof createPhoneCheckLimit>
