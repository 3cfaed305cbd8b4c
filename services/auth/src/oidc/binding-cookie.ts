import { randomBytes } from 'node:crypto'
import type { FastifyRequest } from 'fastify'

/** Ties a sign-in to the browser that started it: the callback must bring the same value. */
export const BINDING_COOKIE = 'gh_oidc'
// Only the start and callback routes ever see it.
const COOKIE_PATH = '/api/v1/auth/oidc'
const VALUE = /^[A-Za-z0-9_-]{43}$/

function cookieValue (header: string | undefined, name: string): string | undefined {
  for (const part of (header ?? '').split(';')) {
    const eq = part.indexOf('=')
    if (eq > 0 && part.slice(0, eq).trim() === name) return part.slice(eq + 1).trim()
  }
  return undefined
}

/** The browser's binding value, when it brought a well-formed one. */
export function presentedBinding (request: FastifyRequest): string | undefined {
  const value = cookieValue(request.headers.cookie, BINDING_COOKIE)
  return value !== undefined && VALUE.test(value) ? value : undefined
}

/** The browser's own binding (so sign-ins in two tabs both finish), or a new one. */
export function bindingFor (request: FastifyRequest): string {
  return presentedBinding(request) ?? randomBytes(32).toString('base64url')
}

function cameOverHttps (request: FastifyRequest): boolean {
  const forwarded = request.headers['x-forwarded-proto']
  const first = (Array.isArray(forwarded) ? forwarded[0] : forwarded)?.split(',')[0]?.trim().toLowerCase()
  return request.protocol === 'https' || first === 'https'
}

/**
 * SameSite=Lax: the provider sends the browser back with a top-level GET from
 * its own site, which Lax cookies accompany (Strict ones would not).
 */
export function bindingCookie (value: string, request: FastifyRequest, options: { maxAgeSeconds: number, production: boolean }): string {
  const secure = options.production || cameOverHttps(request)
  return `${BINDING_COOKIE}=${value}; Path=${COOKIE_PATH}; Max-Age=${options.maxAgeSeconds}; HttpOnly; SameSite=Lax${secure ? '; Secure' : ''}`
}
