import { createHash } from 'node:crypto'
import { SignJWT } from 'jose'
import type { CryptoKey, KeyObject } from 'jose'
import { ACCESS_TOKEN_TYPE } from './access-token.ts'

/** A token the one check must refuse: what differs from a good one. `null` removes a header field or claim. */
export interface RefusalCase {
  name: string
  header?: Record<string, unknown>
  /** Claims; a function gets the current epoch second. */
  claims?: Record<string, unknown> | ((nowSeconds: number) => Record<string, unknown>)
  /** Signed another way than EdDSA with the right key. */
  signing?: 'none' | 'HS256'
}

/**
 * Every rule of `verifyAccessToken`, as a token breaking it: the gateway's
 * and the auth service's tests both run the whole list through their path.
 */
export const ACCESS_TOKEN_REFUSALS: RefusalCase[] = [
  { name: 'no kid', header: { kid: null } },
  { name: 'an unknown kid', header: { kid: 'not-a-published-key' } },
  { name: 'no jti', claims: { jti: null } },
  { name: 'no sid', claims: { sid: null } },
  { name: 'no iat', claims: { iat: null } },
  { name: 'iat a minute in the future', claims: now => ({ iat: now + 60, exp: now + 660 }) },
  { name: 'a one-year lifetime', claims: now => ({ iat: now, exp: now + 31_536_000 }) },
  { name: 'expired', claims: now => ({ iat: now - 1000, exp: now - 100 }) },
  { name: 'typ JWT', header: { typ: 'JWT' } },
  { name: 'no typ', header: { typ: null } },
  { name: 'a foreign issuer', claims: { iss: 'someone-else' } },
  { name: 'a foreign audience', claims: { aud: 'another-api' } },
  { name: 'roles not a list', claims: { roles: 'admin' } },
  { name: 'auth_time after iat', claims: now => ({ auth_time: now + 3600 }) },
  { name: 'alg none', signing: 'none' },
  { name: 'alg HS256 keyed with the public key', signing: 'HS256' }
]

export interface GoodTokenParts {
  privateKey: CryptoKey | KeyObject
  kid: string
  /** The public key's bytes, as an attacker knows them (the HS256 confusion). */
  publicKeyBytes?: Uint8Array
  issuer: string
  audience: string
  claims: { sub: string, sid: string, roles: string[], auth_time?: number }
  lifetimeSeconds: number
  now: Date
}

const b64 = (value: object) => Buffer.from(JSON.stringify(value)).toString('base64url')
const withNulls = (base: Record<string, unknown>, changes: Record<string, unknown>) => {
  const out: Record<string, unknown> = { ...base, ...changes }
  for (const [k, v] of Object.entries(changes)) if (v === null) delete out[k]
  return out
}

/** The token of one case: a good token's header and claims with the case's changes, signed as the case says. */
export async function refusalToken (c: RefusalCase, parts: GoodTokenParts): Promise<string> {
  const now = Math.floor(parts.now.getTime() / 1000)
  const good = {
    ...parts.claims,
    iss: parts.issuer,
    aud: parts.audience,
    iat: now,
    exp: now + parts.lifetimeSeconds,
    jti: createHash('sha256').update(`${c.name}${now}`).digest('hex').slice(0, 32)
  }
  const claims = withNulls(good, typeof c.claims === 'function' ? c.claims(now) : c.claims ?? {})
  const header = withNulls({ alg: 'EdDSA', typ: ACCESS_TOKEN_TYPE, kid: parts.kid }, c.header ?? {})
  if (c.signing === 'none') return `${b64({ ...header, alg: 'none' })}.${b64(claims)}.`
  if (c.signing === 'HS256') {
    const secret = parts.publicKeyBytes ?? new Uint8Array(32)
    return new SignJWT(claims).setProtectedHeader({ ...header, alg: 'HS256' }).sign(secret)
  }
  return new SignJWT(claims).setProtectedHeader(header as { alg: string }).sign(parts.privateKey)
}
