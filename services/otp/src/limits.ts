import type { Cache } from '@app/kit/cache'
import { KitErrors } from '@app/kit/errors'

export interface LimitSettings {
  cooldownSeconds: number
  perDestinationHour: number
  perDestinationDay: number
  perIpHour: number
  globalPerMinute: number
  failuresPerHour: number
}

async function refuse (cache: Cache, key: string, limit: number, detail: string): Promise<never> {
  const ttl = await cache.ttl(key)
  const retryAfter = String(Math.max(1, ttl ?? 1))
  throw KitErrors.rate_limited({
    detail,
    headers: { 'retry-after': retryAfter, 'ratelimit-limit': String(limit), 'ratelimit-remaining': '0', 'ratelimit-reset': retryAfter }
  })
}

/**
 * Limits against SMS pumping and guessing, counted in the shared cache so they
 * hold across instances. Answers never depend on whether an account exists.
 */
export function createLimits (cache: Cache, settings: LimitSettings) {
  async function count (key: string, windowSeconds: number, limit: number, detail: string): Promise<void> {
    if (await cache.incr(key, windowSeconds) > limit) await refuse(cache, key, limit, detail)
  }

  return {
    /** Before any send: the cooldown for this destination and purpose, then the volume limits. */
    async admitSend (destination: string, purpose: string, ip: string | undefined): Promise<void> {
      const cooldown = `otp:cooldown:${purpose}:${destination}`
      if (settings.cooldownSeconds > 0 && !await cache.setIfAbsent(cooldown, '1', settings.cooldownSeconds)) {
        await refuse(cache, cooldown, 1, 'Wait before asking for another code for this destination')
      }
      const minute = Math.floor(Date.now() / 60_000)
      await count(`otp:sends:global:${minute}`, 60, settings.globalPerMinute, 'Too many codes are being sent right now; try again in a minute')
      if (ip) await count(`otp:sends:ip:${ip}`, 3600, settings.perIpHour, 'Too many codes requested from this address; try again later')
      await count(`otp:sends:hour:${destination}`, 3600, settings.perDestinationHour, 'Too many codes sent to this destination; try again later')
      await count(`otp:sends:day:${destination}`, 86_400, settings.perDestinationDay, 'Too many codes sent to this destination today; try again tomorrow')
    },

    /** A spent code ends its flow: the next one (say, a login right after sign-up) need not wait out the cooldown. */
    async clearCooldown (destination: string, purpose: string): Promise<void> {
      await cache.delete(`otp:cooldown:${purpose}:${destination}`)
    },

    /** Guessing across codes: a regenerate does not reset this budget. */
    async admitValidation (destination: string): Promise<void> {
      const key = `otp:failures:${destination}`
      const failures = Number(await cache.get(key) ?? 0)
      if (failures >= settings.failuresPerHour) await refuse(cache, key, settings.failuresPerHour, 'Too many wrong codes for this destination; try again later')
    },

    async recordFailure (destination: string): Promise<void> {
      await cache.incr(`otp:failures:${destination}`, 3600)
    }
  }
}

export type Limits = ReturnType<typeof createLimits>
