import { parsePhoneNumberFromString } from 'libphonenumber-js/max'
import { KitErrors } from '@app/kit/errors'
import { emailLimitKey, normalizeEmail } from '@app/kit/identifiers'
import type { Channel } from '@app/contracts/delivery'

export interface Destination {
  /** Normalised: E.164, or the email in its canonical form (`normalizeEmail`). Codes are sent to and stored for it. */
  value: string
  /**
   * What per-destination limits count: the E.164 number, or the email with its local part
   * lower-cased too, so case and Unicode variants of one mailbox share one budget.
   */
  limitKey: string
  channel: Channel
}

/** A phone (SMS) or an email (email); anything else is 400 naming the field. */
export function parseDestination (raw: string, field = '/body/destination'): Destination {
  const input = raw.trim()
  if (input.includes('@')) {
    const email = normalizeEmail(input)
    const limitKey = emailLimitKey(input)
    if (email !== undefined && limitKey !== undefined && email.length <= 320) return { value: email, limitKey, channel: 'email' }
  } else if (input.startsWith('+')) {
    const phone = parsePhoneNumberFromString(input)
    if (phone?.isValid()) return { value: phone.number, limitKey: phone.number, channel: 'sms' }
  }
  throw KitErrors.validation_failed({
    detail: 'destination must be an E.164 phone number or an email address',
    errors: [{ path: field, message: 'must be an E.164 phone number such as +14155550123 or an email address' }]
  })
}
