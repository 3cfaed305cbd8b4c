import type { Cache } from '@app/kit/cache'
import type { SmsTarget } from './target.ts'
import type { Suspicion } from './suspicion.ts'
import { windowAt } from './suspicion.ts'

export interface PrefixVelocitySettings {
  windowSeconds: number
  maxSends: number
}

/**
 * Pumping walks through a carrier's number block (+4479460001, ...0002, ...):
 * each number stays under its own limit while the block's total explodes.
 * Counts the codes actually sent to a prefix in a fixed window of the injected
 * clock: attempts refused by this or any other limit do not count, so a user
 * tapping "resend" during the cooldown does not use up their neighbours' room.
 * Sends racing past the check together can overshoot the limit by their number.
 */
export function createPrefixVelocity (cache: Cache, settings: PrefixVelocitySettings, now: () => Date) {
  const key = (target: SmsTarget, bucket: number) => `otp:fraud:prefix:${target.prefix}:${bucket}`

  return {
    async check (target: SmsTarget): Promise<Suspicion | undefined> {
      const { bucket, secondsLeft } = windowAt(now(), settings.windowSeconds)
      const sent = Number(await cache.get(key(target, bucket)) ?? 0)
      if (sent < settings.maxSends) return undefined
      return {
        reason: 'prefix_velocity',
        country: target.country,
        prefix: target.prefix,
        limit: settings.maxSends,
        retryAfterSeconds: secondsLeft,
        detail: 'Too many codes are being sent to numbers like this one; try again later'
      }
    },

    async recordSent (target: SmsTarget): Promise<void> {
      const { bucket } = windowAt(now(), settings.windowSeconds)
      await cache.incr(key(target, bucket), settings.windowSeconds + 1)
    }
  }
}
