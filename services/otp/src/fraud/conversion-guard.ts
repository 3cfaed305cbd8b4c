import type { Cache } from '@app/kit/cache'
import type { SmsTarget } from './target.ts'
import type { Suspicion } from './suspicion.ts'
import { windowAt } from './suspicion.ts'

export interface ConversionSettings {
  windowSeconds: number
  /** Sends to a country or prefix before its ratio is judged. */
  minSends: number
  /** Validated codes per 100 sent below which sends are refused. */
  minPercent: number
}

type Scope = { kind: 'country' | 'prefix', id: string }

/**
 * Pumped codes are never typed in: when validated/sent for a country or prefix
 * collapses after enough volume, further sends there are refused. Measured over
 * the current and the previous window, so the judgement does not reset at a
 * window's edge and codes still in flight weigh little.
 */
export function createConversionGuard (cache: Cache, settings: ConversionSettings, now: () => Date) {
  const scopes = (target: SmsTarget): Scope[] => [
    ...(target.country ? [{ kind: 'country' as const, id: target.country }] : []),
    { kind: 'prefix', id: target.prefix }
  ]
  const key = (what: 'sent' | 'validated', scope: Scope, bucket: number) => `otp:fraud:conv:${what}:${scope.kind}:${scope.id}:${bucket}`

  async function total (what: 'sent' | 'validated', scope: Scope, bucket: number): Promise<number> {
    const [current, previous] = await Promise.all([cache.get(key(what, scope, bucket)), cache.get(key(what, scope, bucket - 1))])
    return Number(current ?? 0) + Number(previous ?? 0)
  }

  async function count (what: 'sent' | 'validated', target: SmsTarget): Promise<void> {
    const { bucket } = windowAt(now(), settings.windowSeconds)
    await Promise.all(scopes(target).map(scope => cache.incr(key(what, scope, bucket), settings.windowSeconds * 2 + 1)))
  }

  return {
    async check (target: SmsTarget): Promise<Suspicion | undefined> {
      const { bucket, secondsLeft } = windowAt(now(), settings.windowSeconds)
      // Every scope's counters at once (one round trip), judged in order.
      const judged = await Promise.all(scopes(target).map(async scope => {
        const [sent, validated] = await Promise.all([total('sent', scope, bucket), total('validated', scope, bucket)])
        return { scope, sent, validated }
      }))
      for (const { scope, sent, validated } of judged) {
        if (sent < settings.minSends || validated * 100 >= settings.minPercent * sent) continue
        return {
          reason: 'conversion_collapse',
          country: target.country,
          ...(scope.kind === 'prefix' ? { prefix: scope.id } : {}),
          limit: settings.minSends,
          retryAfterSeconds: secondsLeft,
          detail: 'Codes cannot be sent to numbers like this one right now; try again later'
        }
      }
      return undefined
    },
    recordSent: (target: SmsTarget) => count('sent', target),
    recordValidated: (target: SmsTarget) => count('validated', target)
  }
}
