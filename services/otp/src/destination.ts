import { parsePhoneNumberFromString } from 'libphonenumber-js/max'
import { KitErrors } from '@app/kit/errors'
import type { Channel } from '@app/contracts/delivery'

export interface Destination {
  /** Normalised: E.164, or the email trimmed with its domain lower-cased. */
  value: string
  channel: Channel
}

const EMAIL = /^[^\s@]{1,64}@[^\s@]+\.[^\s@]{2,}$/

/** A phone (SMS) or an email (email); anything else is 400 naming the field. */
export function parseDestination (raw: string, field = '/body/destination'): Destination {
  const input = raw.trim()
  if (input.includes('@')) {
    if (EMAIL.test(input) && input.length <= 320) {
      const at = input.lastIndexOf('@')
      return { value: `${input.slice(0, at)}@${input.slice(at + 1).toLowerCase()}`, channel: 'email' }
    }
  } else if (input.startsWith('+')) {
    const phone = parsePhoneNumberFromString(input)
    if (phone?.isValid()) return { value: phone.number, channel: 'sms' }
  }
  throw KitErrors.validation_failed({
    detail: 'destination must be an E.164 phone number or an email address',
    errors: [{ path: field, message: 'must be an E.164 phone number such as +14155550123 or an email address' }]
  })
}
