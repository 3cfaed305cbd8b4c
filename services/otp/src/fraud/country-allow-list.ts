import { isSupportedCountry } from 'libphonenumber-js/max'
import { ConfigError } from '@app/kit/config'
import type { SmsTarget } from './target.ts'
import type { Suspicion } from './suspicion.ts'

// A refused country stays refused until the setting changes; a day tells clients not to retry soon.
const RETRY_AFTER_SECONDS = 86_400

/** `OTP_SMS_ALLOWED_COUNTRIES`: empty allows all; an unknown code (say `UK` for `GB`) is a ConfigError, not a silent block. */
export function parseAllowedCountries (raw: string): ReadonlySet<string> | undefined {
  const codes = raw.split(',').map(c => c.trim().toUpperCase()).filter(c => c !== '')
  if (codes.length === 0) return undefined
  const unknown = codes.filter(c => !isSupportedCountry(c))
  if (unknown.length > 0) throw new ConfigError([`OTP_SMS_ALLOWED_COUNTRIES: unknown country code(s) ${unknown.join(', ')} (ISO 3166 alpha-2, e.g. GB, US)`])
  return new Set(codes)
}

/** SMS only to the allowed countries; a number no country owns is outside any list. */
export function createCountryAllowList (allowed: ReadonlySet<string> | undefined) {
  return {
    check (target: SmsTarget): Suspicion | undefined {
      if (!allowed || (target.country !== undefined && allowed.has(target.country))) return undefined
      return {
        reason: 'country_not_allowed',
        country: target.country,
        limit: 0,
        retryAfterSeconds: RETRY_AFTER_SECONDS,
        detail: 'Codes cannot be sent by SMS to this country'
      }
    }
  }
}
