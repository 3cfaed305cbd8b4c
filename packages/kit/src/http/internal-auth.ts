import { randomBytes } from 'node:crypto'
import type { FastifyInstance } from 'fastify'
import { KitErrors } from '../errors/index.ts'
import { lifetimeProblem, openToken, signClaims } from '../keys/index.ts'
import type { Keyring } from '../keys/index.ts'

/** The header that carries the credential of an internal call. */
export const SERVICE_TOKEN_HEADER = 'x-service-token'

const TYPE = 'gi1'
/** How long a credential is valid: a call is signed when it is sent, so seconds would do; the cap is 60. */
export const INTERNAL_CREDENTIAL_TTL_SECONDS = 30
const MAX_LIFETIME_SECONDS = 60
const SKEW_SECONDS = 5

export interface CredentialSigner {
  keyring: Keyring
  /** The calling service (`iss`). */
  caller: string
  /** The service called (`aud`): another service refuses the credential. */
  callee: string
}

const nonce = randomBytes(9).toString('base64url')
let counter = 0

/**
 * A credential for one internal call: `gi1.<kid>.<payload>.<mac>` naming
 * caller (`iss`) and callee (`aud`), valid for 30 seconds, so one service
 * cannot replay a call it received against a third.
 */
export function internalCredential ({ keyring, caller, callee }: CredentialSigner, nowMs = Date.now()): string {
  const iat = Math.floor(nowMs / 1000)
  return signClaims(keyring, TYPE, { iss: caller, aud: callee, iat, exp: iat + INTERNAL_CREDENTIAL_TTL_SECONDS, jti: `${nonce}${(counter++).toString(36)}` })
}

export type CredentialCheck = { ok: true, caller: string } | { ok: false, reason: string }

/** Whether a presented credential is one for `service`, unexpired, under a key the ring accepts. */
export function checkInternalCredential (presented: unknown, keyring: Keyring, service: string, nowMs = Date.now()): CredentialCheck {
  if (typeof presented !== 'string' || presented === '') return { ok: false, reason: 'missing' }
  const opened = openToken(keyring, TYPE, presented)
  if (!opened.ok) return opened
  const { claims } = opened
  if (claims.aud !== service) return { ok: false, reason: 'foreign audience' }
  if (typeof claims.iss !== 'string' || typeof claims.jti !== 'string') return { ok: false, reason: 'malformed' }
  const problem = lifetimeProblem(claims, { nowSeconds: Math.floor(nowMs / 1000), maxLifetimeSeconds: MAX_LIFETIME_SECONDS, skewSeconds: SKEW_SECONDS })
  return problem ? { ok: false, reason: problem } : { ok: true, caller: claims.iss }
}

export interface InternalAuthOptions {
  keyring: Keyring
  /** This service's name: the audience every credential must name. */
  service: string
  /** Wall clock in epoch milliseconds (tests). */
  now?: () => number
}

/**
 * Every `/internal/*` route requires a credential signed for this service;
 * without one: 401, logged with the reason and never the credential.
 */
export function protectInternalRoutes (app: FastifyInstance, options: InternalAuthOptions): void {
  const now = options.now ?? Date.now
  app.addHook('onRequest', async (request) => {
    // The matched route, not the raw URL: an unknown /internal path stays a plain 404.
    if (!request.routeOptions.url?.startsWith('/internal/')) return
    const check = checkInternalCredential(request.headers[SERVICE_TOKEN_HEADER], options.keyring, options.service, now())
    if (!check.ok) {
      request.log.warn({ reason: check.reason, route: request.routeOptions.url }, 'internal credential refused')
      throw KitErrors.unauthorized('This route is for other services only: a valid service credential is required')
    }
  })
}
