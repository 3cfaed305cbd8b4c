import type { FastifyRequest } from 'fastify'

export const DEVICE_COOKIE = 'gh_device'
/** For clients without a cookie jar (apps, CLIs): sent with the login, answered in the same header. */
export const DEVICE_HEADER = 'x-device-token'
/** Only the auth routes ever see the cookie. */
const COOKIE_PATH = '/api/v1/auth'

export type SecureMode = 'auto' | 'always' | 'never'

export interface DeviceCookieOptions {
  maxAgeSeconds: number
  secure: SecureMode
  production: boolean
}

function cookieValue (header: string | undefined, name: string): string | undefined {
  for (const part of (header ?? '').split(';')) {
    const eq = part.indexOf('=')
    if (eq > 0 && part.slice(0, eq).trim() === name) return part.slice(eq + 1).trim()
  }
  return undefined
}

/** The device token a client presented: the header wins over the cookie. */
export function presentedDeviceToken (request: FastifyRequest): string | undefined {
  const header = request.headers[DEVICE_HEADER]
  if (typeof header === 'string' && header !== '') return header.trim()
  return cookieValue(request.headers.cookie, DEVICE_COOKIE)
}

/** Services sit behind the gateway on plain HTTP: the scheme the client used is what a TLS-terminating proxy said. */
function cameOverHttps (request: FastifyRequest): boolean {
  const forwarded = request.headers['x-forwarded-proto']
  const first = (Array.isArray(forwarded) ? forwarded[0] : forwarded)?.split(',')[0]?.trim().toLowerCase()
  return request.protocol === 'https' || first === 'https'
}

/** The Set-Cookie value that stores the device token in a browser. */
export function deviceCookie (token: string, request: FastifyRequest, options: DeviceCookieOptions): string {
  const secure = options.secure === 'always' || (options.secure === 'auto' && (options.production || cameOverHttps(request)))
  return `${DEVICE_COOKIE}=${token}; Path=${COOKIE_PATH}; Max-Age=${options.maxAgeSeconds}; HttpOnly; SameSite=Lax${secure ? '; Secure' : ''}`
}
