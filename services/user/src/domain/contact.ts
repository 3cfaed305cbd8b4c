import { parsePhoneNumberFromString } from 'libphonenumber-js/max'

/** Email normalisation is one rule for every service: the kit's (NFKC, no hidden characters, IDNA domain). */
export { normalizeEmail } from '@app/kit/identifiers'

/** E.164 (`+14155550123`) for a valid international number, spaces and dashes allowed in the input; undefined otherwise. */
export function normalizePhone (input: string): string | undefined {
  const trimmed = input.trim()
  if (!trimmed.startsWith('+') || !/^\+[0-9 ()-]{6,24}$/.test(trimmed)) return undefined
  const parsed = parsePhoneNumberFromString(trimmed)
  return parsed?.isValid() ? parsed.number : undefined
}
