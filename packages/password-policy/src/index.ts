import { readFileSync } from 'node:fs'
import { KitErrors } from '@app/kit/errors'

export const MIN_PASSWORD_LENGTH = 8
export const MAX_PASSWORD_LENGTH = 128

let common: Set<string> | undefined

/** Loaded on first use: 10,000 lines, about 80 KB. */
function commonPasswords (): Set<string> {
  common ??= new Set(readFileSync(new URL('../data/common-passwords-10k.txt', import.meta.url), 'utf8').split('\n').filter(Boolean))
  return common
}

/**
 * Why a password is refused, or undefined when it is allowed. NIST SP 800-63B:
 * a length range, a blocklist of common passwords, and no composition rules.
 * Length counts Unicode code points after NFKC normalisation, so an emoji is
 * one character and a composed and a decomposed "é" are the same password.
 */
export function passwordProblem (password: string, context: { email?: string | null, phone?: string | null } = {}): string | undefined {
  const normalized = password.normalize('NFKC')
  const length = [...normalized].length
  if (length < MIN_PASSWORD_LENGTH) return `must be at least ${MIN_PASSWORD_LENGTH} characters`
  if (length > MAX_PASSWORD_LENGTH) return `must be at most ${MAX_PASSWORD_LENGTH} characters`
  const lower = normalized.toLowerCase()
  if (commonPasswords().has(lower)) return 'is one of the 10,000 most common passwords; choose another'
  if (context.email && lower === context.email.toLowerCase()) return 'must not be your email address'
  if (context.phone && normalized.replace(/[^\d+]/g, '') === context.phone) return 'must not be your phone number'
  return undefined
}

/** Throws `400 validation_failed` naming the field (e.g. `/body/newPassword`) when the password is refused. */
export function assertPasswordAllowed (password: string, path: string, context?: { email?: string | null, phone?: string | null }): void {
  const problem = passwordProblem(password, context)
  if (problem) throw KitErrors.validation_failed({ detail: `${path.split('/').pop()} ${problem}`, errors: [{ path, message: problem }] })
}
