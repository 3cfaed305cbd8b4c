import { hash } from 'node:crypto'
import { createRemoteJWKSet, customFetch, errors, jwtVerify } from 'jose'
import { KitErrors } from '@app/kit/errors'
import type { AppError } from '@app/kit/errors'
import type { RevocationList } from './revocation-list.ts'
import { createTtlCache } from './ttl-cache.ts'

/** Who made the request, as the access token says. */
export interface Identity {
  sub: string
  sid: string
  roles: string[]
}

export interface TokenVerifierOptions {
  /** The base URL of an auth service instance, asked at each key fetch; the keys are read from its `/.well-known/jwks.json`. */
  authUrl: () => string
  issuer: string
  audience: string
  /** The sessions ended recently, as the auth service's database says. */
  revocations: Pick<RevocationList, 'isRevoked'>
  /** How long a verified token is accepted again without checking its signature, never past its `exp` (ms). */
  verifiedForMs?: number
  now?: () => number
}

export interface TokenVerifier {
  /** The identity in a valid access token; rejects with a 401 (or 503 when the keys cannot be fetched). */
  verify(token: string): Promise<Identity>
}

// A little leeway for clocks of different hosts; far below the 15-minute token life.
const CLOCK_TOLERANCE_SECONDS = 5
// Checking an EdDSA signature is most of the gateway's cost per authenticated request.
const VERIFIED_FOR_MS = 5000
const MAX_CACHED = 10_000
// Role names go into a header as a comma-separated list.
const ROLE = /^[A-Za-z0-9_.:-]{1,64}$/

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
 * A verified token is remembered for a few seconds (never past its expiry), so
 * that a busy client costs one signature check per few seconds, not per
 * request; whether its session ended is looked up every time, in memory.
 */
export function createTokenVerifier (options: TokenVerifierOptions): TokenVerifier {
  const now = options.now ?? Date.now
  const jwksUrl = () => `${options.authUrl().replace(/\/+$/, '')}/.well-known/jwks.json`
  const jwks = createRemoteJWKSet(new URL(jwksUrl()), {
    cooldownDuration: 5000,
    cacheMaxAge: 600_000,
    // Another instance when the first one is down: the URL is chosen per fetch.
    [customFetch]: (_url, init) => fetch(jwksUrl(), init)
  })
  // Keyed by a hash: the cache never holds a usable token.
  const verified = createTtlCache<Identity>(MAX_CACHED, now)

  async function checkSignature (token: string): Promise<Identity> {
    const key = hash('sha256', token, 'base64url')
    const cached = verified.get(key)
    if (cached) return cached
    let payload
    try {
      ({ payload } = await jwtVerify(token, jwks, {
        algorithms: ['EdDSA'],
        typ: 'at+jwt',
        issuer: options.issuer,
        audience: options.audience,
        clockTolerance: CLOCK_TOLERANCE_SECONDS,
        currentDate: new Date(now()),
        requiredClaims: ['sub', 'sid', 'roles', 'exp', 'iat']
      }))
    } catch (err) {
      throw refused(err)
    }
    if (!isIdentity(payload)) throw KitErrors.unauthorized('The access token is invalid')
    const identity = Object.freeze({ sub: payload.sub, sid: payload.sid, roles: payload.roles })
    verified.set(key, identity, Math.min(now() + (options.verifiedForMs ?? VERIFIED_FOR_MS), Number(payload.exp) * 1000))
    return identity
  }

  return {
    async verify (token) {
      const identity = await checkSignature(token)
      if (options.revocations.isRevoked(identity.sid)) throw KitErrors.unauthorized('The session has ended')
      return identity
    }
  }
}
