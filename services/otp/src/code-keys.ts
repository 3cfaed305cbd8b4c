import type { Keyring } from '@app/kit/keys'
import { DERIVED_KID } from '@app/kit/keys'
import { codeHmac, deriveCode, sameHmac } from './code.ts'

/**
 * Codes under a rotatable key. A stored HMAC names the key it was made with
 * (`<kid>:<hmac>`), so a code issued before a rotation can still be checked
 * and sent again while the old key is accepted. Rows from before keyrings
 * carry no kid: their key is the one SERVICE_SECRET derives (`derived-1`).
 */
const SEPARATOR = ':'

function split (stored: string): { kid: string, hmac: string } {
  const at = stored.indexOf(SEPARATOR)
  return at < 0 ? { kid: DERIVED_KID, hmac: stored } : { kid: stored.slice(0, at), hmac: stored.slice(at + 1) }
}

/** A new code from `salt` under the current key, and the HMAC to store for it. */
export function newCode (keys: Keyring, salt: string, destination: string, purpose: string): { code: string, stored: string } {
  const { kid, key } = keys.current()
  const code = deriveCode(key, salt)
  return { code, stored: `${kid}${SEPARATOR}${codeHmac(key, destination, purpose, code)}` }
}

/** The code of a stored record (to send it again), or undefined when its key is no longer accepted. */
export function codeOf (keys: Keyring, record: { salt: string, codeHmac: string }): string | undefined {
  const key = keys.find(split(record.codeHmac).kid)
  return key ? deriveCode(key, record.salt) : undefined
}

/** Whether `code` is the record's; never, once its key is no longer accepted. */
export function codeMatches (keys: Keyring, record: { codeHmac: string }, destination: string, purpose: string, code: string): boolean {
  const { kid, hmac } = split(record.codeHmac)
  const key = keys.find(kid)
  return key !== undefined && sameHmac(hmac, codeHmac(key, destination, purpose, code))
}
