import type { IncomingHttpHeaders } from 'node:http'
import type { FastifyRequest } from 'fastify'
import type { App } from '@app/kit/http'
import { CALLER_HEADERS, callerHeaders } from '@app/kit/http'
import type { Identity, TokenVerifier } from './token-verifier.ts'

declare module 'fastify' {
  interface FastifyRequest {
    /** Set by the gateway from a verified access token; null for anonymous requests. */
    identity: Identity | null
  }
}

/** Headers the services trust because only the gateway sets (and signs) them. */
export const IDENTITY_HEADERS = CALLER_HEADERS

/** The token of a `Bearer` authorization; `''` (refused later) when the scheme is Bearer but the token is missing or malformed. */
export function bearerToken (request: FastifyRequest): string | undefined {
  const [scheme, ...rest] = (request.headers.authorization ?? '').trim().split(/[ \t]+/)
  if (scheme?.toLowerCase() !== 'bearer') return undefined
  return rest.length === 1 ? rest[0] : ''
}

// The verifier hands out the same identity object while it remembers a token: sign it once.
const signed = new WeakMap<Identity, Record<string, string>>()

function signedHeaders (identity: Identity, secret: string): Record<string, string> {
  let headers = signed.get(identity)
  if (!headers) {
    headers = callerHeaders({ userId: identity.sub, roles: identity.roles, sessionId: identity.sid }, secret)
    signed.set(identity, headers)
  }
  return headers
}

/**
 * Puts the identity headers for the upstream into `headers` (a copy made for
 * the upstream, changed in place), signed with the service secret; never the client's own.
 */
export function withIdentity (headers: IncomingHttpHeaders, identity: Identity | null, secret: string | undefined): IncomingHttpHeaders {
  for (const name of IDENTITY_HEADERS) {
    if (headers[name] !== undefined) delete headers[name]
  }
  if (identity && secret) Object.assign(headers, signedHeaders(identity, secret))
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
