import cors from '@fastify/cors'
import helmet from '@fastify/helmet'
import type { App } from '@app/kit/http'

// The API answers JSON only: nothing it sends may load, run or be framed.
const API_CSP = "default-src 'none'; base-uri 'none'; form-action 'none'; frame-ancestors 'none'"
// Swagger UI loads its own scripts and styles and sets inline styles; it calls the API on this origin.
const DOCS_CSP = "default-src 'self'; base-uri 'self'; connect-src 'self'; font-src 'self' data:; frame-ancestors 'none'; " +
  "img-src 'self' data: validator.swagger.io; object-src 'none'; script-src 'self'; script-src-attr 'none'; style-src 'self' 'unsafe-inline'"

/** Helmet's headers on every response, and CORS for the configured browser origins only. */
export async function installSecurityHeaders (app: App, corsOrigins: string[]): Promise<void> {
  await app.register(helmet, {
    global: true,
    contentSecurityPolicy: false,
    // Tokens travel in headers, never cookies; the pages are ours but the API is meant for other origins' scripts.
    crossOriginResourcePolicy: { policy: corsOrigins.length > 0 ? 'cross-origin' : 'same-origin' }
  })
  app.addHook('onRequest', async (request, reply) => {
    const path = request.url.split('?')[0] ?? ''
    const docs = path === '/docs' || path.startsWith('/docs/')
    reply.header('content-security-policy', docs ? DOCS_CSP : API_CSP)
  })
  if (corsOrigins.length === 0) return
  await app.register(cors, {
    origin: corsOrigins,
    methods: ['GET', 'HEAD', 'POST', 'PUT', 'PATCH', 'DELETE'],
    exposedHeaders: ['x-request-id', 'x-error-code', 'retry-after', 'ratelimit-limit', 'ratelimit-remaining', 'ratelimit-reset'],
    maxAge: 600
  })
}
