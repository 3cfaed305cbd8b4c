import { parsePhoneNumberFromString } from 'libphonenumber-js/max'

// Deliberately simple: one @, a dot in the domain, no spaces. Deliverability is proven by verification, not by a regex.
const EMAIL_SHAPE = /^[^\s@]{1,64}@[^\s@]+\.[^\s@.]{2,}$/
const DOMAIN_SHAPE = /^[a-z0-9](?:[a-z0-9-]*[a-z0-9])?(?:\.[a-z0-9](?:[a-z0-9-]*[a-z0-9])?)+$/

/** Trims and lower-cases the domain; undefined when it is not an email address. */
export function normalizeEmail (input: string): string | undefined {
  const trimmed = input.trim()
  if (trimmed.length > 254 || !EMAIL_SHAPE.test(trimmed)) return undefined
  const at = trimmed.lastIndexOf('@')
  const domain = trimmed.slice(at + 1).toLowerCase()
  if (!DOMAIN_SHAPE.test(domain)) return undefined
  return `${trimmed.slice(0, at)}@${domain}`
}

/** E.164 (`+14155550123`) for a valid international number, spaces and dashes allowed in the input; undefined otherwise. */
export function normalizePhone (input: string): string | undefined {
  const trimmed = input.trim()
  if (!trimmed.startsWith('+') || !/^\+[0-9 ()-]{6,24}$/.test(trimmed)) return undefined
  const parsed = parsePhoneNumberFromString(trimmed)
  return parsed?.isValid() ? parsed.number : undefined
}
