import { errors, jwtVerify } from 'jose'
import type { JWTHeaderParameters, JWTVerifyGetKey } from 'jose'

export const ACCESS_TOKEN_TYPE = 'at+jwt'
/** Clock difference allowed between the host that signed and the one that checks. */
export const CLOCK_SKEW_SECONDS = 5
// Role names travel in a comma-separated header.
const ROLE = /^[A-Za-z0-9_.:-]{1,64}$/

export interface AccessTokenRules {
  issuer: string
  audience: string
  /** `AUTH_ACCESS_TTL_SECONDS`: a token whose `exp - iat` is longer was not signed by our auth service's rules. */
  maxLifetimeSeconds: number
  clockSkewSeconds?: number
}

/** What a valid access token says. */
export interface AccessClaims {
  sub: string
  sid: string
  roles: string[]
  jti: string
  iat: number
  exp: number
  /** Epoch seconds of the session's last password, code or passkey check; 0 when the token names none. */
  authTime: number
  kid: string
}

const refuse = (claim: string, reason: string, payload: Record<string, unknown> = {}) =>
  new errors.JWTClaimValidationFailed(`access token refused: ${reason}`, payload, claim, 'check_failed')

const nonEmpty = (value: unknown): value is string => typeof value === 'string' && value.length > 0

/**
 * The one check of an access token, used by the gateway and by the auth
 * service's `/validate` alike: EdDSA, `typ` at+jwt, a `kid` naming the key,
 * issuer, audience, expiry, an `iat` not in the future, a lifetime no longer
 * than configured, and `sub`, `sid`, `jti`, `roles` present and well formed.
 * Refusals are jose errors (`JOSEError`); anything else (a key that cannot be
 * fetched) is passed on as it is.
 */
export async function verifyAccessToken (token: string, getKey: JWTVerifyGetKey, rules: AccessTokenRules, now: Date): Promise<AccessClaims> {
  const skew = rules.clockSkewSeconds ?? CLOCK_SKEW_SECONDS
  // Checked before any key is looked up: a key set with one key would otherwise match a token without a kid.
  const keyFor: JWTVerifyGetKey = async (header, jws) => {
    if (!nonEmpty(header.kid)) throw new errors.JWSInvalid('access token refused: no kid')
    return getKey(header, jws)
  }
  const { payload, protectedHeader } = await jwtVerify(token, keyFor, {
    algorithms: ['EdDSA'],
    typ: ACCESS_TOKEN_TYPE,
    issuer: rules.issuer,
    audience: rules.audience,
    clockTolerance: skew,
    currentDate: now,
    requiredClaims: ['sub', 'sid', 'roles', 'jti', 'iat', 'exp']
  })
  const { sub, sid, roles, jti, iat, exp } = payload as Record<string, unknown>
  const at = Math.floor(now.getTime() / 1000)
  if (!nonEmpty(sub)) throw refuse('sub', 'sub is not a string', payload)
  if (!nonEmpty(sid)) throw refuse('sid', 'sid is not a string', payload)
  if (!nonEmpty(jti)) throw refuse('jti', 'jti is not a string', payload)
  if (!Array.isArray(roles) || !roles.every(r => typeof r === 'string' && ROLE.test(r))) throw refuse('roles', 'roles are not a list of role names', payload)
  if (typeof iat !== 'number' || typeof exp !== 'number') throw refuse('iat', 'iat or exp is not a number', payload)
  if (iat > at + skew) throw refuse('iat', 'issued in the future', payload)
  if (exp - iat > rules.maxLifetimeSeconds) throw refuse('exp', 'lives longer than an access token may', payload)
  const authTime = payload.auth_time
  if (authTime !== undefined && (typeof authTime !== 'number' || !Number.isInteger(authTime) || authTime > iat + skew)) {
    throw refuse('auth_time', 'auth_time is not a time before iat', payload)
  }
  return { sub, sid, roles: roles as string[], jti, iat, exp, authTime: authTime ?? 0, kid: (protectedHeader as JWTHeaderParameters).kid! }
}
