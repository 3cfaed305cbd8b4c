import { hash } from 'node:crypto'
import { createRemoteJWKSet, customFetch, errors } from 'jose'
import { AppError, KitErrors } from '@app/kit/errors'
import { verifyAccessToken } from '@app/kit/tokens'
import type { RevocationList } from './revocation-list.ts'
import { createTtlCache } from './ttl-cache.ts'

/** Who made the request, as the access token says. */
export interface Identity {
  sub: string
  sid: string
  roles: string[]
  /** Epoch seconds of the session's last password, code or passkey proof (`auth_time`); 0 when the token names none. */
  authTime: number
}

export interface TokenVerifierOptions {
  /** The base URL of an auth service instance, asked at each key fetch; the keys are read from its `/.well-known/jwks.json`. */
  authUrl: () => string
  issuer: string
  audience: string
  /** `AUTH_ACCESS_TTL_SECONDS`, as the auth service signs: a token living longer is refused. */
  maxLifetimeSeconds: number
  /** The sessions ended recently, as the auth service's database says. */
  revocations: Pick<RevocationList, 'isRevoked'>
  /** How long a verified token is accepted again without checking its signature, never past its `exp` (ms); until its `exp` by default. */
  verifiedForMs?: number
  now?: () => number
}

export interface TokenVerifier {
  /** The identity in a valid access token; rejects with a 401 (or 503 when the keys cannot be fetched). */
  verify(token: string): Promise<Identity>
}

// Checking an EdDSA signature costs more than the rest of a proxied request:
// done once per token. Bounded in entries (least recently used go first).
const MAX_CACHED = 50_000

// An access token that was good and is past its `exp`: the auth service's `token_expired`
// (docs/errors.md), on which clients refresh; every other refusal is `unauthorized`.
const tokenExpired = () => new AppError('token_expired', 401, 'Token expired', { detail: 'The access token has expired' })

function refused (err: unknown): AppError {
  if (err instanceof errors.JWKSTimeout || !(err instanceof errors.JOSEError)) {
    return KitErrors.unavailable({ detail: 'The token signing keys cannot be fetched right now', cause: err })
  }
  return KitErrors.unauthorized('The access token is invalid')
}

/**
 * Checks access tokens locally against the auth service's published keys,
 * with the one check the auth service's `/validate` makes too (`verifyAccessToken`).
 * Keys come only from the configured JWKS URL, never from the token header
 * (`jku`, `jwk`, `x5u` are ignored); an unknown `kid` refetches the set at most every 5 s.
 * A verified token is remembered until it expires (by a hash of it, bounded in
 * number), so that a client costs one signature check per token, not per
 * request; whether its session ended is looked up every time, in memory.
 */
export function createTokenVerifier (options: TokenVerifierOptions): TokenVerifier {
  const now = options.now ?? Date.now
  const jwksUrl = () => `${options.authUrl().replace(/\/+$/, '')}/.well-known/jwks.json`
  // A fixed placeholder: the fetch below picks the instance each time, and none may be known at start-up.
  const jwks = createRemoteJWKSet(new URL('http://auth.invalid/.well-known/jwks.json'), {
    cooldownDuration: 5000,
    cacheMaxAge: 600_000,
    // Another instance when the first one is down: the URL is chosen per fetch.
    [customFetch]: (_url, init) => fetch(jwksUrl(), init)
  })
  // Keyed by a hash: the cache never holds a usable token.
  const verified = createTtlCache<Identity>(MAX_CACHED, now)
  // A client's concurrent requests with a token not seen yet wait for one check.
  const checking = new Map<string, Promise<Identity>>()

  function checkSignature (token: string): Identity | Promise<Identity> {
    const key = hash('sha256', token, 'base64url')
    const cached = verified.get(key)
    if (cached) return cached
    let pending = checking.get(key)
    if (!pending) {
      pending = checkNow(token, key).finally(() => checking.delete(key))
      checking.set(key, pending)
    }
    return pending
  }

  const rules = { issuer: options.issuer, audience: options.audience, maxLifetimeSeconds: options.maxLifetimeSeconds }

  // jose reports `exp` before the platform's own rules (lifetime, roles, sid...) are looked at:
  // only a token that every rule would take at its own expiry is merely expired.
  async function expiredOnly (token: string, err: unknown): Promise<boolean> {
    if (!(err instanceof errors.JWTExpired) || err.claim !== 'exp' || typeof err.payload.exp !== 'number') return false
    try {
      await verifyAccessToken(token, jwks, rules, new Date(err.payload.exp * 1000))
      return true
    } catch {
      return false
    }
  }

  async function checkNow (token: string, key: string): Promise<Identity> {
    let claims
    try {
      claims = await verifyAccessToken(token, jwks, rules, new Date(now()))
    } catch (err) {
      throw await expiredOnly(token, err) ? tokenExpired() : refused(err)
    }
    const identity: Identity = Object.freeze({ sub: claims.sub, sid: claims.sid, roles: claims.roles, authTime: claims.authTime })
    const expiresAt = claims.exp * 1000
    verified.set(key, identity, options.verifiedForMs === undefined ? expiresAt : Math.min(now() + options.verifiedForMs, expiresAt))
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
