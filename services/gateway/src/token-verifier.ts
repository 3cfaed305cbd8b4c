import { createRemoteJWKSet, errors, jwtVerify } from 'jose'
import type { Cache } from '@app/kit/cache'
import { KitErrors } from '@app/kit/errors'
import type { AppError } from '@app/kit/errors'

/** Who made the request, as the access token says. */
export interface Identity {
  sub: string
  sid: string
  roles: string[]
}

export interface TokenVerifierOptions {
  /** The auth service's base URL; its keys are read from `/.well-known/jwks.json`. */
  authUrl: string
  issuer: string
  audience: string
  /** Where the auth service marks ended sessions (`auth:revoked:<sid>`). */
  cache: Cache
  warn(obj: object, msg: string): void
}

export interface TokenVerifier {
  /** The identity in a valid access token; rejects with a 401 (or 503 when the keys cannot be fetched). */
  verify(token: string): Promise<Identity>
}

// A little leeway for clocks of different hosts; far below the 15-minute token life.
const CLOCK_TOLERANCE_SECONDS = 5
// Role names go into a header as a comma-separated list.
const ROLE = /^[A-Za-z0-9_.:-]{1,64}$/

export const revokedSessionKey = (sid: string) => `auth:revoked:${sid}`

function refused (err: unknown): AppError {
  if (err instanceof errors.JWTExpired) return KitErrors.unauthorized('The access token has expired')
  if (err instanceof errors.JWKSTimeout || !(err instanceof errors.JOSEError)) {
    return KitErrors.unavailable({ detail: 'The token signing keys cannot be fetched right now', cause: err })
  }
  return KitErrors.unauthorized('The access token is invalid')
}

function isIdentity (payload: Record<string, unknown>): payload is Record<string, unknown> & Identity {
  const { sub, sid, roles } = payload
  return typeof sub === 'string' && sub.length > 0 &&
    typeof sid === 'string' && sid.length > 0 &&
    Array.isArray(roles) && roles.every(r => typeof r === 'string' && ROLE.test(r))
}

/**
 * Checks access tokens locally against the auth service's published keys.
 * Keys come only from the configured JWKS URL, never from the token header
 * (`jku`, `jwk`, `x5u` are ignored); an unknown `kid` refetches the set at most every 5 s.
 */
export function createTokenVerifier (options: TokenVerifierOptions): TokenVerifier {
  const jwks = createRemoteJWKSet(new URL(`${options.authUrl.replace(/\/+$/, '')}/.well-known/jwks.json`), {
    cooldownDuration: 5000,
    cacheMaxAge: 600_000
  })

  async function isRevoked (sid: string): Promise<boolean> {
    try {
      return Boolean(await options.cache.get(revokedSessionKey(sid)))
    } catch (err) {
      // The cache is never the source of truth: when it is unreachable a
      // logged-out token stays usable until it expires (at most 15 minutes)
      // rather than the whole API going down with it.
      options.warn({ err }, 'revocation check failed, token accepted')
      return false
    }
  }

  return {
    async verify (token) {
      let payload
      try {
        ({ payload } = await jwtVerify(token, jwks, {
          algorithms: ['EdDSA'],
          typ: 'at+jwt',
          issuer: options.issuer,
          audience: options.audience,
          clockTolerance: CLOCK_TOLERANCE_SECONDS,
          requiredClaims: ['sub', 'sid', 'roles', 'exp', 'iat']
        }))
      } catch (err) {
        throw refused(err)
      }
      if (!isIdentity(payload)) throw KitErrors.unauthorized('The access token is invalid')
      if (await isRevoked(payload.sid)) throw KitErrors.unauthorized('The session has ended')
      return { sub: payload.sub, sid: payload.sid, roles: payload.roles }
    }
  }
}
