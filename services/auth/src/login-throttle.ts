import { createHash } from 'node:crypto'
import type { Cache } from '@app/kit/cache'
import { KitErrors } from '@app/kit/errors'

export interface LoginThrottleOptions {
  cache: Cache
  maxFailures: number
  windowSeconds: number
}

/** The same person types `Ann@Example.com` and `ann@example.com`, `+1 415-555` and `+1415555`. */
export function normalizeIdentifier (input: { email?: string | undefined, phone?: string | undefined }): string {
  if (input.email !== undefined) return `email:${input.email.trim().toLowerCase()}`
  return `phone:${(input.phone ?? '').replace(/[\s()-]/g, '')}`
}

/**
 * Failed-login counting per identifier in the shared cache, so the limit holds
 * across instances. The key is a hash: cache dumps do not list who tried to log in.
 */
export function createLoginThrottle ({ cache, maxFailures, windowSeconds }: LoginThrottleOptions) {
  const keyOf = (identifier: string) => `auth:login-failures:${createHash('sha256').update(identifier).digest('hex')}`

  return {
    keyOf,
    /**
     * Counts the attempt before the password is checked: parallel guesses cannot
     * all slip in under the limit while the first ones are still being verified.
     * Throws 429 `rate_limited` once the limit is used up, without checking anything.
     */
    async admit (key: string): Promise<void> {
      const attempts = await cache.incr(key, windowSeconds)
      if (attempts <= maxFailures) return
      const ttl = await cache.ttl(key)
      const retryAfter = String(ttl !== undefined && ttl > 0 ? ttl : windowSeconds)
      throw KitErrors.rate_limited({
        detail: 'Too many failed logins for this account; try again later',
        headers: { 'retry-after': retryAfter, 'ratelimit-limit': String(maxFailures), 'ratelimit-remaining': '0', 'ratelimit-reset': retryAfter }
      })
    },
    /** Gives back an attempt that failed for another reason than the password (the user service was down). */
    async refund (key: string): Promise<void> {
      await cache.incr(key, windowSeconds, -1)
    },
    /** A successful login clears the count. */
    async reset (key: string): Promise<void> {
      await cache.delete(key)
    }
  }
}

export type LoginThrottle = ReturnType<typeof createLoginThrottle>
