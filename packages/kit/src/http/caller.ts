import type { FastifyInstance, FastifyRequest } from 'fastify'
import { KitErrors } from '../errors/index.ts'
import type { Keyring } from '../keys/index.ts'
import { checkIdentityAssertion, createReplayGuard, IDENTITY_ASSERTION_HEADER } from './identity-assertion.ts'
import type { IdentityAssertion, ReplayGuard } from './identity-assertion.ts'

/** Who is calling, as verified by the gateway from an access token. */
export interface Caller {
  userId: string
  roles: string[]
  sessionId: string | null
  /** Epoch seconds of the session's last password, code or passkey proof; null when unknown. */
  authTime: number | null
}

declare module 'fastify' {
  interface FastifyRequest {
    /** The verified caller, or null for anonymous requests. */
    caller: Caller | null
    /** The gateway's verified assertion for this request, or null when it came without one. */
    identityAssertion: IdentityAssertion | null
  }
}

/**
 * Headers that only the gateway may set: its identity assertion, the internal
 * credential, and those of the scheme before assertions. It strips client copies.
 */
export const GATEWAY_ONLY_HEADERS = [
  IDENTITY_ASSERTION_HEADER, 'x-service-token',
  'x-user-id', 'x-user-roles', 'x-session-id', 'x-identity-signature', 'x-client-ip', 'x-client-ip-signature'
] as const

export interface CallerOptions {
  keyring: Keyring
  /** This service's name: the audience an assertion must name. */
  service: string
  /** Wall clock in epoch milliseconds (tests). */
  now?: () => number
  replay?: ReplayGuard
}

const refused = () => KitErrors.unauthorized('The identity assertion of this request is invalid')

/**
 * Reads the gateway's identity assertion: without one the request is
 * anonymous; a presented one that is forged, stale, foreign, for another
 * request or replayed is 401, logged with the reason and never the assertion.
 */
export function installCaller (app: FastifyInstance, options: CallerOptions): void {
  const now = options.now ?? Date.now
  const replay = options.replay ?? createReplayGuard()
  app.decorateRequest('caller', null)
  app.decorateRequest('identityAssertion', null)
  app.addHook('onRequest', async (request) => {
    const presented = request.headers[IDENTITY_ASSERTION_HEADER]
    if (presented === undefined) return
    const check = typeof presented === 'string'
      ? checkIdentityAssertion(presented, { keyring: options.keyring, audience: options.service, requestId: request.id, nowMs: now(), replay })
      : { ok: false as const, reason: 'sent twice' }
    if (!check.ok) {
      request.log.warn({ reason: check.reason }, 'identity assertion refused')
      throw refused()
    }
    request.identityAssertion = check.assertion
    const user = check.assertion.user
    if (user) request.caller = { userId: user.sub, roles: user.roles, sessionId: user.sid, authTime: user.authTime }
  })
}

export const isAdmin = (caller: Caller | null): boolean => caller?.roles.includes('admin') ?? false

/** The caller, or 401 when the request carries no verified access token. */
export function requireCaller (request: FastifyRequest): Caller {
  if (!request.caller) throw KitErrors.unauthorized('A valid access token is required (Authorization: Bearer <accessToken>)')
  return request.caller
}

/** The caller when an admin; 401 when anonymous, 403 otherwise. */
export function requireAdmin (request: FastifyRequest): Caller {
  const caller = requireCaller(request)
  if (!isAdmin(caller)) throw KitErrors.forbidden('This route is for administrators')
  return caller
}

/**
 * The caller when the session proved itself (password, code or passkey) at
 * most `maxAgeSeconds` before `now`: 401 when anonymous, otherwise 403
 * `reauth_required` (POST /api/v1/auth/reauthenticate gives a fresh proof).
 */
export function requireRecentAuth (request: FastifyRequest, maxAgeSeconds: number, now: Date | number): Caller {
  const caller = requireCaller(request)
  const nowSeconds = Math.floor((typeof now === 'number' ? now : now.getTime()) / 1000)
  if (caller.authTime === null || nowSeconds - caller.authTime > maxAgeSeconds) {
    throw KitErrors.reauth_required(`This change needs a password or code check from the last ${maxAgeSeconds} seconds: POST /api/v1/auth/reauthenticate first`)
  }
  return caller
}

/**
 * The client's address: the one the gateway vouched for in its identity
 * assertion, otherwise the socket peer (a direct caller, or a test).
 */
export function clientIp (request: FastifyRequest, ..._unused: unknown[]): string {
  return request.identityAssertion?.ip ?? request.ip
}
