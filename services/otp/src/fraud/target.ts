import { createHmac } from 'node:crypto'
import { parsePhoneNumberFromString } from 'libphonenumber-js/max'

/** What the SMS defences know about a number, without keeping the number itself. */
export interface SmsTarget {
  /** ISO 3166 alpha-2, or undefined for a number no country owns (+800, +882, ...). */
  country: string | undefined
  /** The E.164 number without its last digits: the block that velocity and conversion count. */
  prefix: string
  /** A keyed hash of the number, safe to log and to put in events. */
  hash: string
}

export function smsTarget (number: string, trailingDigits: number, hashKey: Buffer): SmsTarget {
  return {
    country: parsePhoneNumberFromString(number)?.country,
    prefix: number.slice(0, Math.max(2, number.length - trailingDigits)),
    hash: createHmac('sha256', hashKey).update(`abuse\n${number}`).digest('base64url').slice(0, 22)
  }
}
