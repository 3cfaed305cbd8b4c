import type { IncomingHttpHeaders } from 'node:http'
import type { FastifyRequest } from 'fastify'
import type { App, AssertedUser } from '@app/kit/http'
import { GATEWAY_ONLY_HEADERS, IDENTITY_ASSERTION_HEADER, signIdentityAssertion } from '@app/kit/http'
import type { Keyring } from '@app/kit/keys'
import type { Identity, TokenVerifier } from './token-verifier.ts'

declare module 'fastify' {
  interface FastifyRequest {
    /** Set by the gateway from a verified access token; null for anonymous requests. */
    identity: Identity | null
  }
}

/** Headers the services trust only from the gateway: never passed on from a client. */
export const IDENTITY_HEADERS = GATEWAY_ONLY_HEADERS

/** The token of a `Bearer` authorization; `''` (refused later) when the scheme is Bearer but the token is missing or malformed. */
export function bearerToken (request: FastifyRequest): string | undefined {
  const [scheme, ...rest] = (request.headers.authorization ?? '').trim().split(/[ \t]+/)
  if (scheme?.toLowerCase() !== 'bearer') return undefined
  return rest.length === 1 ? rest[0] : ''
}

// The verifier hands out the same identity object while it remembers a token: convert it once.
const users = new WeakMap<Identity, AssertedUser>()

function assertedUser (identity: Identity): AssertedUser {
  let user = users.get(identity)
  if (!user) {
    user = { sub: identity.sub, roles: identity.roles, sid: identity.sid, authTime: identity.authTime || null }
    users.set(identity, user)
  }
  return user
}

export interface AssertionSettings {
  keyring: Keyring
  ttlSeconds: number
}

/**
 * Puts the identity assertion for `service` into `headers` (a copy made for
 * the upstream, changed in place): who is calling (when a token was
 * verified), from which address, for this request id only, for seconds.
 * Whatever the client sent under a gateway-only header is dropped.
 */
export function withIdentity (headers: IncomingHttpHeaders, request: FastifyRequest, service: string, ip: string, settings: AssertionSettings): IncomingHttpHeaders {
  for (const name of IDENTITY_HEADERS) {
    if (headers[name] !== undefined) delete headers[name]
  }
  const requestId = String(request.id)
  headers['x-request-id'] = requestId
  headers[IDENTITY_ASSERTION_HEADER] = signIdentityAssertion(settings.keyring, {
    audience: service,
    requestId,
    ip,
    user: request.identity ? assertedUser(request.identity) : null,
    ttlSeconds: settings.ttlSeconds
  })
  return headers
}

/**
 * Strips client-sent identity headers from every request and, when a bearer
 * token is present, verifies it and records who is calling. Requests without a
 * token go through anonymous: each service decides what needs a user.
 */
export function installIdentity (app: App, verifier: TokenVerifier): void {
  app.decorateRequest('identity', null)
  app.addHook('onRequest', async (request) => {
    for (const name of IDENTITY_HEADERS) {
      if (request.headers[name] !== undefined) delete request.headers[name]
    }
    const token = bearerToken(request)
    if (token === undefined) return
    // A refusal is an AppError: the kit's error handler answers it as problem+json.
    request.identity = await verifier.verify(token)
  })
}
