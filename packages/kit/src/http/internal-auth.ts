import { randomBytes } from 'node:crypto'
import type { FastifyInstance } from 'fastify'
import { KitErrors } from '../errors/index.ts'
import { createReplayGuard } from './identity-assertion.ts'
import type { ReplayGuard } from './identity-assertion.ts'
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

/** The one request a credential is for: its method and its path as sent, without the query string. */
export interface CallTarget {
  method: string
  path: string
}

const nonce = randomBytes(9).toString('base64url')
let counter = 0

/**
 * A credential for one internal call: `gi1.<kid>.<payload>.<mac>` naming
 * caller (`iss`), callee (`aud`), the request's method (`mth`) and path
 * (`pth`, no query), valid for 30 seconds with a unique `jti`: one service
 * cannot replay a call it received against a third, nor a captured credential
 * against another route, and the callee accepts each `jti` once.
 */
/** Method and path of a credential for any call (tests and tools that hold the key). */
export const ANY_CALL = '*'

export function internalCredential ({ keyring, caller, callee }: CredentialSigner, target: CallTarget, nowMs = Date.now()): string {
  const iat = Math.floor(nowMs / 1000)
  return signClaims(keyring, TYPE, {
    iss: caller,
    aud: callee,
    mth: target.method === ANY_CALL ? ANY_CALL : target.method.toUpperCase(),
    pth: target.path === ANY_CALL ? ANY_CALL : pathOf(target.path),
    iat,
    exp: iat + INTERNAL_CREDENTIAL_TTL_SECONDS,
    jti: `${nonce}${(counter++).toString(36)}`
  })
}

/** The path of a request target, without its query string or fragment. */
function pathOf (url: string): string {
  const end = url.search(/[?#]/)
  return end === -1 ? url : url.slice(0, end)
}

export type CredentialCheck = { ok: true, caller: string } | { ok: false, reason: string }

export interface PresentedCall extends CallTarget {
  /** Omit only where the credential was already counted (it is then not checked for replay). */
  replay?: ReplayGuard
}

/**
 * Whether a presented credential is one for `service`, unexpired, under a key
 * the ring accepts; with `call`, also that it names this request's method and
 * path and, with a replay guard, that its `jti` was not seen before.
 */
export function checkInternalCredential (presented: unknown, keyring: Keyring, service: string, nowMs = Date.now(), call?: PresentedCall): CredentialCheck {
  if (typeof presented !== 'string' || presented === '') return { ok: false, reason: 'missing' }
  const opened = openToken(keyring, TYPE, presented)
  if (!opened.ok) return opened
  const { claims } = opened
  if (claims.aud !== service) return { ok: false, reason: 'foreign audience' }
  if (typeof claims.iss !== 'string' || typeof claims.jti !== 'string' || typeof claims.mth !== 'string' || typeof claims.pth !== 'string') {
    return { ok: false, reason: 'malformed' }
  }
  const nowSeconds = Math.floor(nowMs / 1000)
  const problem = lifetimeProblem(claims, { nowSeconds, maxLifetimeSeconds: MAX_LIFETIME_SECONDS, skewSeconds: SKEW_SECONDS })
  if (problem) return { ok: false, reason: problem }
  if (call) {
    // `*` matches any call: only a holder of the key can sign one (the kit's test helper does);
    // the service client always names its call, so a captured credential opens that call only.
    if (claims.mth !== ANY_CALL && claims.mth !== call.method.toUpperCase()) return { ok: false, reason: 'method mismatch' }
    if (claims.pth !== ANY_CALL && claims.pth !== pathOf(call.path)) return { ok: false, reason: 'path mismatch' }
    if (call.replay && !call.replay.firstUse(claims.jti, claims.exp as number, nowSeconds)) return { ok: false, reason: 'replayed' }
  }
  return { ok: true, caller: claims.iss }
}

export interface InternalAuthOptions {
  keyring: Keyring
  /** This service's name: the audience every credential must name. */
  service: string
  /** Wall clock in epoch milliseconds (tests). */
  now?: () => number
  /** The credential ids seen within their lifetime; default: one bounded guard per call of `protectInternalRoutes`. */
  replay?: ReplayGuard
}

/**
 * Every `/internal/*` route requires a credential signed for this service,
 * naming this request's method and raw path, and not seen before by this
 * instance; otherwise: 401, logged with the reason and never the credential.
 */
export function protectInternalRoutes (app: FastifyInstance, options: InternalAuthOptions): void {
  const now = options.now ?? Date.now
  const replay = options.replay ?? createReplayGuard()
  app.addHook('onRequest', async (request) => {
    // The matched route, not the raw URL: an unknown /internal path stays a plain 404.
    if (!request.routeOptions.url?.startsWith('/internal/')) return
    // The credential names the path as sent (before routing, trailing-slash folding or rewriting).
    const call = { method: request.raw.method ?? '', path: request.raw.url ?? '', replay }
    const check = checkInternalCredential(request.headers[SERVICE_TOKEN_HEADER], options.keyring, options.service, now(), call)
    if (!check.ok) {
      request.log.warn({ reason: check.reason, route: request.routeOptions.url }, 'internal credential refused')
      throw KitErrors.unauthorized('This route is for other services only: a valid service credential is required')
    }
  })
}
