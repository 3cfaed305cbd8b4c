import type { FastifyRequest } from 'fastify'
import type { SecureMode } from '../device-cookie.ts'
import { SECRET_FORMAT } from './secrets.ts'

/** The nonce that binds a magic link to the browser that asked for it. */
export const MAGIC_LINK_COOKIE = 'gh_magic_link'
/** Only the magic-link routes (request, page, confirmation) ever see it. */
const COOKIE_PATH = '/api/v1/auth/magic-link'

/** The browser's nonce when it sent a well-formed one. */
export function presentedNonce (request: FastifyRequest): string | undefined {
  for (const part of (request.headers.cookie ?? '').split(';')) {
    const eq = part.indexOf('=')
    if (eq > 0 && part.slice(0, eq).trim() === MAGIC_LINK_COOKIE) {
      const value = part.slice(eq + 1).trim()
      return SECRET_FORMAT.test(value) ? value : undefined
    }
  }
  return undefined
}

/** Services sit behind the gateway on plain HTTP: the scheme the client used is what a TLS-terminating proxy said. */
function cameOverHttps (request: FastifyRequest): boolean {
  const forwarded = request.headers['x-forwarded-proto']
  const first = (Array.isArray(forwarded) ? forwarded[0] : forwarded)?.split(',')[0]?.trim().toLowerCase()
  return request.protocol === 'https' || first === 'https'
}

/** HttpOnly, SameSite=Lax (a link clicked in a mail client is a top-level navigation: it is sent), Secure over https. */
export function nonceCookie (nonce: string, request: FastifyRequest, options: { maxAgeSeconds: number, secure: SecureMode, production: boolean }): string {
  const secure = options.secure === 'always' || (options.secure === 'auto' && (options.production || cameOverHttps(request)))
  return `${MAGIC_LINK_COOKIE}=${nonce}; Path=${COOKIE_PATH}; Max-Age=${options.maxAgeSeconds}; HttpOnly; SameSite=Lax${secure ? '; Secure' : ''}`
}
