import { KitErrors } from '@app/kit/errors'
import { hasHiddenCharacters } from '@app/kit/identifiers'
import type { FieldError } from '@app/kit/errors'
import { normalizeEmail, normalizePhone } from './domain/contact.ts'

/** Throws `400 validation_failed` naming each field. */
export function invalid (errors: FieldError[]): never {
  throw KitErrors.validation_failed({ detail: errors.map(e => `${e.path.slice(1)} ${e.message}`).join('; '), errors })
}

/** Why an address was refused: one with a hidden character would look identical to another account's. */
export const emailProblem = (raw: string) => hasHiddenCharacters(raw)
  ? 'must not contain invisible, zero-width or direction-control characters'
  : 'must be a valid email address'

/** Normalises the contact fields of a request body, naming each invalid one. */
export function normalizeContact (input: { email?: string | undefined, phone?: string | undefined }, where = 'body') {
  const errors: FieldError[] = []
  const email = input.email === undefined ? undefined : normalizeEmail(input.email)
  if (input.email !== undefined && !email) errors.push({ path: `/${where}/email`, message: emailProblem(input.email) })
  const phone = input.phone === undefined ? undefined : normalizePhone(input.phone)
  if (input.phone !== undefined && !phone) errors.push({ path: `/${where}/phone`, message: 'must be an E.164 phone number such as +14155550123' })
  if (errors.length > 0) invalid(errors)
  return { email, phone }
}
