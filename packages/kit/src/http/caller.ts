import { createHmac, timingSafeEqual } from 'node:crypto'
import type { FastifyInstance, FastifyRequest } from 'fastify'
import { KitErrors } from '../errors/index.ts'

/** Who is calling, as verified by the gateway from an access token. */
export interface Caller {
  userId: string
  roles: string[]
  sessionId: string | null
}

declare module 'fastify' {
  interface FastifyRequest {
    /** The verified caller, or null for anonymous requests and unsigned identity headers. */
    caller: Caller | null
  }
}

/** Headers the gateway sets and strips from clients; services believe them only with a valid signature. */
export const CALLER_HEADERS = ['x-user-id', 'x-user-roles', 'x-session-id', 'x-identity-signature'] as const

function signature (caller: Caller, secret: string): Buffer {
  return createHmac('sha256', secret).update(`${caller.userId}\n${caller.roles.join(',')}\n${caller.sessionId ?? ''}`).digest()
}

/**
 * The headers that carry a caller to a service. The signature (keyed by the
 * service secret) means a client that reaches a service port directly, past
 * the gateway, still cannot claim to be someone else.
 */
export function callerHeaders (caller: Caller, secret: string): Record<string, string> {
  const headers: Record<string, string> = {
    'x-user-id': caller.userId,
    'x-user-roles': caller.roles.join(','),
    'x-identity-signature': signature(caller, secret).toString('base64url')
  }
  if (caller.sessionId) headers['x-session-id'] = caller.sessionId
  return headers
}

const one = (value: string | string[] | undefined) => (typeof value === 'string' ? value : undefined)

/** The caller named by a request's headers when their signature is valid; otherwise null. */
export function readCaller (headers: FastifyRequest['headers'], secret: string | undefined): Caller | null {
  const userId = one(headers['x-user-id'])
  const presented = one(headers['x-identity-signature'])
  if (!secret || !userId || !presented) return null
  const rolesHeader = one(headers['x-user-roles']) ?? ''
  const caller: Caller = {
    userId,
    roles: rolesHeader.split(',').filter(Boolean),
    sessionId: one(headers['x-session-id']) ?? null
  }
  const expected = signature(caller, secret)
  const given = Buffer.from(presented, 'base64url')
  return given.length === expected.length && timingSafeEqual(given, expected) ? caller : null
}

export function installCaller (app: FastifyInstance, secret: string | undefined): void {
  app.decorateRequest('caller', null)
  app.addHook('onRequest', async (request) => {
    if (request.headers['x-user-id'] !== undefined) request.caller = readCaller(request.headers, secret)
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

/** The header pair by which the gateway tells a service the client's address (from its trusted-proxy rules). */
export const CLIENT_IP_HEADERS = ['x-client-ip', 'x-client-ip-signature'] as const

export function clientIpHeaders (ip: string, secret: string): Record<string, string> {
  return { 'x-client-ip': ip, 'x-client-ip-signature': createHmac('sha256', secret).update(`ip\n${ip}`).digest('base64url') }
}

/** The address the gateway vouched for, or undefined when unsigned or the signature is wrong. */
export function verifyClientIp (ip: string | null | undefined, signature: string | null | undefined, secret: string | undefined): string | undefined {
  if (!secret || !ip || !signature) return undefined
  const expected = createHmac('sha256', secret).update(`ip\n${ip}`).digest()
  const given = Buffer.from(signature, 'base64url')
  return given.length === expected.length && timingSafeEqual(given, expected) ? ip : undefined
}

/**
 * The client's address: the gateway's signed `x-client-ip` when present and
 * valid, otherwise the socket peer (a direct caller, or a test).
 */
export function clientIp (request: FastifyRequest, secret: string | undefined): string {
  return verifyClientIp(one(request.headers['x-client-ip']), one(request.headers['x-client-ip-signature']), secret) ?? request.ip
}
