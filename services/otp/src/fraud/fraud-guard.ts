import type { Logger } from 'pino'
import type { Cache } from '@app/kit/cache'
import type { Db } from '@app/kit/db'
import type { EventEmitter, EventSpec } from '@app/kit/service'
import { createConversionGuard } from './conversion-guard.ts'
import type { ConversionSettings } from './conversion-guard.ts'
import { createCountryAllowList } from './country-allow-list.ts'
import { createDistinctDestinations } from './distinct-destinations.ts'
import type { DistinctDestinationsSettings } from './distinct-destinations.ts'
import { createPrefixVelocity } from './prefix-velocity.ts'
import type { PrefixVelocitySettings } from './prefix-velocity.ts'
import { refusal, windowAt } from './suspicion.ts'
import type { AbuseSuspected, Suspicion } from './suspicion.ts'
import { smsTarget } from './target.ts'
import type { SmsTarget } from './target.ts'

export const OTP_ABUSE_SUSPECTED = 'otp.abuse_suspected'

export type FraudGuardMode = 'enforce' | 'record'

export interface FraudGuardDeps {
  cache: Cache
  db: Db
  events: EventEmitter
  log: Pick<Logger, 'warn'>
  now: () => Date
  mode: FraudGuardMode
  /** Keys the destination hash in logs and events. */
  hashKey: Buffer
  allowedCountries: ReadonlySet<string> | undefined
  prefixTrailingDigits: number
  prefix: PrefixVelocitySettings
  perIp: DistinctDestinationsSettings
  conversion: ConversionSettings
  /** Told of every finding, enforced or recorded (the abuse metric). */
  suspected?: (reason: string) => void
}

// A refused burst reports once per reason and subject a minute, not once per request.
const REPORT_WINDOW_SECONDS = 60

/**
 * Screens every SMS send against pumping (toll fraud): country allow-list,
 * prefix velocity, distinct numbers per client IP, conversion collapse.
 * Enforcing: the first finding refuses the send (429, nothing sent). Recording:
 * the send goes ahead, each finding is logged and emitted with it.
 */
export function createFraudGuard (deps: FraudGuardDeps) {
  const { cache, now } = deps
  const countries = createCountryAllowList(deps.allowedCountries)
  const velocity = createPrefixVelocity(cache, deps.prefix, now)
  const perIp = createDistinctDestinations(cache, deps.perIp, now)
  const conversion = createConversionGuard(cache, deps.conversion, now)
  const target = (number: string): SmsTarget => smsTarget(number, deps.prefixTrailingDigits, deps.hashKey)

  function payload (suspicion: Suspicion, t: SmsTarget): AbuseSuspected {
    return {
      reason: suspicion.reason,
      mode: deps.mode,
      ...(suspicion.country ? { country: suspicion.country } : {}),
      ...(suspicion.prefix ? { prefix: suspicion.prefix } : {}),
      destinationHash: t.hash
    }
  }

  /**
   * Every check reads its counters at once (one round trip to the cache); the findings are
   * then taken in order. Enforcing stops at the first, so the client's distinct-number count
   * moves only when the country check let the send through, as when the checks ran one by one.
   */
  async function findings (t: SmsTarget, ip: string | undefined): Promise<Suspicion[]> {
    const [distinct, ...rest] = await Promise.all([perIp.check(t, ip), velocity.check(t), conversion.check(t)])
    const found: Suspicion[] = []
    const take = (suspicion: Suspicion | undefined) => {
      if (suspicion) found.push(suspicion)
      return deps.mode === 'enforce' && found.length > 0
    }
    if (take(countries.check(t))) return found
    if (take(distinct.suspicion)) return found
    await distinct.mark?.()
    for (const suspicion of rest) if (take(suspicion)) return found
    return found
  }

  async function reportRefusal (data: AbuseSuspected, ip: string | undefined): Promise<void> {
    const subject = data.reason === 'distinct_destinations' ? ip : data.prefix ?? data.country ?? 'none'
    const { bucket } = windowAt(now(), REPORT_WINDOW_SECONDS)
    if (!await cache.setIfAbsent(`otp:fraud:reported:${data.reason}:${subject}:${bucket}`, '1', REPORT_WINDOW_SECONDS + 1)) return
    await deps.db.tx(tx => deps.events.emit(tx, OTP_ABUSE_SUSPECTED, data))
  }

  return {
    /**
     * Before an SMS send. Enforcing: throws 429 `rate_limited` on a finding.
     * Recording: returns the `otp.abuse_suspected` events to write with the send.
     */
    async screen (number: string, ip: string | undefined): Promise<EventSpec[]> {
      const t = target(number)
      const found = await findings(t, ip)
      for (const suspicion of found) {
        deps.log.warn({ abuse: payload(suspicion, t) }, `suspected SMS pumping: ${suspicion.reason}`)
        deps.suspected?.(suspicion.reason)
      }
      if (deps.mode === 'enforce' && found[0]) {
        await reportRefusal(payload(found[0], t), ip)
        throw refusal(found[0])
      }
      return found.map(suspicion => ({ type: OTP_ABUSE_SUSPECTED, data: payload(suspicion, t) }))
    },
    /** After an SMS code was handed to delivery. */
    async recordSent (number: string): Promise<void> {
      const t = target(number)
      await Promise.all([velocity.recordSent(t), conversion.recordSent(t)])
    },
    /** After an SMS code was validated. */
    recordValidated: (number: string) => conversion.recordValidated(target(number))
  }
}

export type FraudGuard = ReturnType<typeof createFraudGuard>
