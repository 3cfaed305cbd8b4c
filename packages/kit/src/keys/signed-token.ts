import { createHmac, timingSafeEqual } from 'node:crypto'
import type { Keyring } from './keyring.ts'

/**
 * A compact signed token: `<type>.<kid>.<payload>.<mac>`, where payload is
 * base64url JSON and mac is base64url HMAC-SHA256 over everything before it
 * with the kid's key. One HMAC per token: cheap enough for every request.
 */
export type TokenClaims = Record<string, unknown>

export type OpenResult =
  | { ok: true, kid: string, claims: TokenClaims }
  | { ok: false, reason: 'malformed' | 'unknown key' | 'bad signature' }

const mac = (key: Buffer, signed: string) => createHmac('sha256', key).update(signed).digest()

/** Signs claims (already JSON) with the ring's current key. */
export function signJson (keyring: Keyring, type: string, json: string): string {
  const { kid, key } = keyring.current()
  const signed = `${type}.${kid}.${Buffer.from(json).toString('base64url')}`
  return `${signed}.${mac(key, signed).toString('base64url')}`
}

export function signClaims (keyring: Keyring, type: string, claims: TokenClaims): string {
  return signJson(keyring, type, JSON.stringify(claims))
}

/** The claims of a token of `type` signed by a key the ring still accepts. */
export function openToken (keyring: Keyring, type: string, token: string): OpenResult {
  const parts = token.split('.')
  if (parts.length !== 4 || parts[0] !== type) return { ok: false, reason: 'malformed' }
  const [, kid, payload, presented] = parts as [string, string, string, string]
  const key = keyring.find(kid)
  if (!key) return { ok: false, reason: 'unknown key' }
  const expected = mac(key, `${type}.${kid}.${payload}`)
  const given = Buffer.from(presented, 'base64url')
  if (given.length !== expected.length || !timingSafeEqual(given, expected)) return { ok: false, reason: 'bad signature' }
  try {
    const claims = JSON.parse(Buffer.from(payload, 'base64url').toString('utf8')) as unknown
    if (!claims || typeof claims !== 'object' || Array.isArray(claims)) return { ok: false, reason: 'malformed' }
    return { ok: true, kid, claims: claims as TokenClaims }
  } catch {
    return { ok: false, reason: 'malformed' }
  }
}

export interface Lifetime {
  /** Wall clock, epoch seconds. */
  nowSeconds: number
  /** The longest `exp - iat` accepted. */
  maxLifetimeSeconds: number
  /** Clock difference tolerated between signer and verifier. */
  skewSeconds: number
}

/** Why the `iat`/`exp` of a token are unacceptable, or undefined when they are fine. */
export function lifetimeProblem (claims: TokenClaims, { nowSeconds, maxLifetimeSeconds, skewSeconds }: Lifetime): 'expired' | 'issued in the future' | 'lifetime too long' | 'malformed' | undefined {
  const { iat, exp } = claims
  if (typeof iat !== 'number' || typeof exp !== 'number') return 'malformed'
  if (exp < iat) return 'malformed'
  if (exp - iat > maxLifetimeSeconds) return 'lifetime too long'
  if (iat > nowSeconds + skewSeconds) return 'issued in the future'
  if (exp + skewSeconds < nowSeconds) return 'expired'
  return undefined
}
