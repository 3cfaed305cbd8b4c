import type { AdmitStep, Cache } from '@app/kit/cache'
import { KitErrors } from '@app/kit/errors'

export interface LimitSettings {
  cooldownSeconds: number
  perDestinationHour: number
  perDestinationDay: number
  perIpHour: number
  globalPerMinute: number
  failuresPerHour: number
}

/**
 * Per-destination budgets are kept apart for codes a stranger can ask for
 * (`public`, from /api/v1/otp) and codes the owner's own flows send (login,
 * reset, verification, ...): spending one never blocks the other.
 */
export type BudgetScope = 'public' | 'owner'
export const budgetScope = (flow: string): BudgetScope => flow === 'public' ? 'public' : 'owner'

function rateLimited (limit: number, ttl: number | undefined, detail: string) {
  const retryAfter = String(Math.max(1, ttl ?? 1))
  return KitErrors.rate_limited({
    detail,
    headers: { 'retry-after': retryAfter, 'ratelimit-limit': String(limit), 'ratelimit-remaining': '0', 'ratelimit-reset': retryAfter }
  })
}

async function refuse (cache: Cache, key: string, limit: number, detail: string): Promise<never> {
  throw rateLimited(limit, await cache.ttl(key), detail)
}

const cooldownKey = (destination: string, purpose: string, flow: string) => `otp:cooldown:${flow}:${purpose}:${destination}`
const failuresKey = (destination: string, flow: string) => `otp:failures:${budgetScope(flow)}:${destination}`

/** Every counter kept for one destination (account deletion erases them). */
export function destinationCounterKeys (destination: string, purposes: readonly string[], flows: readonly string[]): string[] {
  const scoped = (['public', 'owner'] as const).flatMap(scope => [
    `otp:sends:hour:${scope}:${destination}`, `otp:sends:day:${scope}:${destination}`, `otp:failures:${scope}:${destination}`
  ])
  return [...scoped, ...flows.flatMap(flow => purposes.map(purpose => cooldownKey(destination, purpose, flow)))]
}

/**
 * Limits against SMS pumping and guessing, counted in the shared cache so they
 * hold across instances. Answers never depend on whether an account exists.
 */
export function createLimits (cache: Cache, settings: LimitSettings, now: () => Date = () => new Date()) {
  return {
    /**
     * Before any send: the cooldown for this destination, purpose and flow, then the volume limits,
     * in that order and in one atomic cache operation; a refused step leaves the later ones untaken.
     */
    async admitSend (destination: string, purpose: string, flow: string, ip: string | undefined): Promise<void> {
      const minute = Math.floor(now().getTime() / 60_000)
      const scope = budgetScope(flow)
      const steps: Array<AdmitStep & { detail: string }> = [
        ...(settings.cooldownSeconds > 0
          ? [{ key: cooldownKey(destination, purpose, flow), kind: 'once' as const, ttlSeconds: settings.cooldownSeconds, limit: 1, detail: 'Wait before asking for another code for this destination' }]
          : []),
        { key: `otp:sends:global:${minute}`, kind: 'count', ttlSeconds: 60, limit: settings.globalPerMinute, detail: 'Too many codes are being sent right now; try again in a minute' },
        ...(ip ? [{ key: `otp:sends:ip:${ip}`, kind: 'count' as const, ttlSeconds: 3600, limit: settings.perIpHour, detail: 'Too many codes requested from this address; try again later' }] : []),
        { key: `otp:sends:hour:${scope}:${destination}`, kind: 'count', ttlSeconds: 3600, limit: settings.perDestinationHour, detail: 'Too many codes sent to this destination; try again later' },
        { key: `otp:sends:day:${scope}:${destination}`, kind: 'count', ttlSeconds: 86_400, limit: settings.perDestinationDay, detail: 'Too many codes sent to this destination today; try again tomorrow' }
      ]
      const refusal = await cache.admitInOrder(steps)
      if (refusal) throw rateLimited(steps[refusal.index]!.limit!, refusal.ttlSeconds, steps[refusal.index]!.detail)
    },

    /** A spent code ends its flow: the next one (say, a login right after sign-up) need not wait out the cooldown. */
    async clearCooldown (destination: string, purpose: string, flow: string): Promise<void> {
      await cache.delete(cooldownKey(destination, purpose, flow))
    },

    /** Guessing across codes: a regenerate does not reset this budget; a stranger's public guesses do not spend the owner's. */
    async admitValidation (destination: string, flow: string): Promise<void> {
      const key = failuresKey(destination, flow)
      const failures = Number(await cache.get(key) ?? 0)
      if (failures >= settings.failuresPerHour) await refuse(cache, key, settings.failuresPerHour, 'Too many wrong codes for this destination; try again later')
    },

    async recordFailure (destination: string, flow: string): Promise<void> {
      await cache.incr(failuresKey(destination, flow), 3600)
    }
  }
}

export type Limits = ReturnType<typeof createLimits>
