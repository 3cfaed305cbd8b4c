import type { Cache } from '@app/kit/cache'
import { KitErrors } from '@app/kit/errors'

const WINDOW_SECONDS = 3600

/**
 * Magic-link requests per client IP network and clock hour (of the injected clock). The gateway limits the route
 * too; this holds for callers of the auth port itself and across instances through the shared cache.
 * Answering 429 tells nothing about accounts: the count is the caller's own.
 */
export function createRequestLimit (cache: Cache, now: () => Date, perHour: number) {
  return {
    async admit (network: string): Promise<void> {
      const ms = now().getTime()
      const bucket = Math.floor(ms / (WINDOW_SECONDS * 1000))
      if (await cache.incr(`auth:magic-link:ip:${network}:${bucket}`, WINDOW_SECONDS + 1) <= perHour) return
      const retryAfter = String(Math.max(1, Math.ceil(((bucket + 1) * WINDOW_SECONDS * 1000 - ms) / 1000)))
      throw KitErrors.rate_limited({
        detail: 'Too many magic links asked for from this network; try again later',
        headers: { 'retry-after': retryAfter, 'ratelimit-limit': String(perHour), 'ratelimit-remaining': '0', 'ratelimit-reset': retryAfter }
      })
    }
  }
}
