import type { Cache } from '@app/kit/cache'
import type { SmsTarget } from './target.ts'
import type { Suspicion } from './suspicion.ts'
import { windowAt } from './suspicion.ts'

export interface DistinctDestinationsSettings {
  windowSeconds: number
  maxDestinations: number
}

/**
 * One client asking codes for many different numbers is a pump, not a person.
 * Each number is counted once per client IP and window (a marker per number),
 * so a user retrying their own number never reaches the limit.
 */
export interface DistinctCheck {
  suspicion: Suspicion | undefined
  /** Counts the number for the client; only when the send goes ahead past this check (undefined: nothing to count). */
  mark: (() => Promise<void>) | undefined
}

export function createDistinctDestinations (cache: Cache, settings: DistinctDestinationsSettings, now: () => Date) {
  return {
    /** Reads only (both keys at once); the caller marks the number once the earlier checks let the send through. */
    async check (target: SmsTarget, ip: string | undefined): Promise<DistinctCheck> {
      if (!ip) return { suspicion: undefined, mark: undefined }
      const { bucket, secondsLeft } = windowAt(now(), settings.windowSeconds)
      const base = `otp:fraud:ip:${ip}:${bucket}`
      const ttl = settings.windowSeconds + 1
      const [marked, count] = await Promise.all([cache.get(`${base}:d:${target.hash}`), cache.get(`${base}:n`)])
      if (marked !== undefined) return { suspicion: undefined, mark: undefined }
      if (Number(count ?? 0) < settings.maxDestinations) {
        return {
          suspicion: undefined,
          mark: async () => { if (await cache.setIfAbsent(`${base}:d:${target.hash}`, '1', ttl)) await cache.incr(`${base}:n`, ttl) }
        }
      }
      return {
        suspicion: {
          reason: 'distinct_destinations',
          country: target.country,
          limit: settings.maxDestinations,
          retryAfterSeconds: secondsLeft,
          detail: 'Codes were requested for too many different numbers from this address; try again later'
        },
        mark: undefined
      }
    }
  }
}
