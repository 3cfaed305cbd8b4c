import type { IncomingMessage, ServerResponse } from 'node:http'
import cors from '@fastify/cors'
import helmet from 'helmet'
import type { HelmetOptions } from 'helmet'
import type { App } from '@app/kit/http'
import { CONSOLE_CSP, isConsolePath } from './console-pages.ts'

// The API answers JSON only: nothing it sends may load, run or be framed.
const API_CSP = "default-src 'none'; base-uri 'none'; form-action 'none'; frame-ancestors 'none'"
// Swagger UI loads its own scripts and styles and sets inline styles; it calls the API on this origin.
const DOCS_CSP = "default-src 'self'; base-uri 'self'; connect-src 'self'; font-src 'self' data:; frame-ancestors 'none'; " +
  "img-src 'self' data: validator.swagger.io; object-src 'none'; script-src 'self'; script-src-attr 'none'; style-src 'self' 'unsafe-inline'"

/**
 * The headers helmet sets, worked out once. With our options they depend on
 * nothing in the request, and @fastify/helmet rebuilt helmet for every request:
 * about a third of the gateway's own CPU time on a trivial request.
 */
export function helmetHeaders (options: HelmetOptions): Record<string, string> {
  const headers: Record<string, string> = {}
  const response = {
    setHeader (name: string, value: string | number) { headers[name.toLowerCase()] = String(value) },
    removeHeader (name: string) { delete headers[name.toLowerCase()] }
  }
  helmet(options)({} as IncomingMessage, response as unknown as ServerResponse, (err) => { if (err) throw err })
  return headers
}

const isDevInboxPath = (url: string) => url === '/dev' || url.startsWith('/dev/') || url.startsWith('/dev?')

/** Pages on this machine, on any port: a front end in development (Vite on :5173, and so on). */
export const LOCAL_DEV_ORIGINS = [/^http:\/\/localhost(:\d+)?$/, /^http:\/\/127\.0\.0\.1(:\d+)?$/, /^http:\/\/\[::1\](:\d+)?$/]

/**
 * The origins CORS allows: GATEWAY_CORS_ORIGINS when set; unset outside
 * production, every http://localhost:* and http://127.0.0.1:* page (a front end
 * on another local port works out of the box); unset in production, none.
 */
export function corsOriginsFor (configured: string[], nodeEnv: string): Array<string | RegExp> {
  if (configured.length > 0) return configured
  return nodeEnv === 'production' ? [] : LOCAL_DEV_ORIGINS
}

/**
 * Helmet's headers and a content security policy on every response, and CORS
 * for the configured browser origins only. Strict-Transport-Security only with
 * `hstsMaxAgeSeconds`, when the gateway itself terminates TLS.
 */
export async function installSecurityHeaders (app: App, corsOrigins: Array<string | RegExp>, hstsMaxAgeSeconds?: number): Promise<void> {
  const headers = helmetHeaders({
    contentSecurityPolicy: false,
    strictTransportSecurity: hstsMaxAgeSeconds === undefined ? false : { maxAge: hstsMaxAgeSeconds, includeSubDomains: true },
    // Access and refresh tokens travel in headers, never cookies (only the login throttle's device id rides in one);
    // the pages are ours but the API is meant for other origins' scripts.
    crossOriginResourcePolicy: { policy: corsOrigins.length > 0 ? 'cross-origin' : 'same-origin' }
  })
  const api = { ...headers, 'content-security-policy': API_CSP }
  const docs = { ...headers, 'content-security-policy': DOCS_CSP }
  const pages = { ...headers, 'content-security-policy': CONSOLE_CSP }
  const isDocs = (url: string) => url === '/docs' || url.startsWith('/docs/') || url.startsWith('/docs?')
  app.addHook('onRequest', async (request, reply) => {
    reply.headers(isDocs(request.url) ? docs : isConsolePath(request.url) ? pages : api)
  })
  if (corsOrigins.length === 0) return
  const options = {
    origin: corsOrigins,
    methods: ['GET', 'HEAD', 'POST', 'PUT', 'PATCH', 'DELETE'],
    exposedHeaders: ['x-request-id', 'x-error-code', 'retry-after', 'ratelimit-limit', 'ratelimit-remaining', 'ratelimit-reset', 'x-device-token'],
    maxAge: 600
  }
  // The dev inbox holds every code and link the platform sent: no other origin's script may read or clear it.
  const closed = { ...options, origin: false }
  await app.register(cors, {
    delegator: (request, callback) => { callback(null, isDevInboxPath(request.url ?? '') ? closed : options) }
  })
}
