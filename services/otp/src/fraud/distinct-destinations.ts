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
export function createDistinctDestinations (cache: Cache, settings: DistinctDestinationsSettings, now: () => Date) {
  return {
    async check (target: SmsTarget, ip: string | undefined): Promise<Suspicion | undefined> {
      if (!ip) return undefined
      const { bucket, secondsLeft } = windowAt(now(), settings.windowSeconds)
      const base = `otp:fraud:ip:${ip}:${bucket}`
      const ttl = settings.windowSeconds + 1
      if (await cache.get(`${base}:d:${target.hash}`) !== undefined) return undefined
      const seen = Number(await cache.get(`${base}:n`) ?? 0)
      if (seen < settings.maxDestinations) {
        if (await cache.setIfAbsent(`${base}:d:${target.hash}`, '1', ttl)) await cache.incr(`${base}:n`, ttl)
        return undefined
      }
      return {
        reason: 'distinct_destinations',
        country: target.country,
        limit: settings.maxDestinations,
        retryAfterSeconds: secondsLeft,
        detail: 'Codes were requested for too many different numbers from this address; try again later'
      }
    }
  }
}
