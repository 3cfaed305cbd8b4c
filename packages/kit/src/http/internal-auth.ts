import { createHash, timingSafeEqual } from 'node:crypto'
import type { FastifyInstance } from 'fastify'
import { KitErrors } from '../errors/index.ts'

export const SERVICE_TOKEN_HEADER = 'x-service-token'

const digest = (value: string) => createHash('sha256').update(value).digest()

/** Constant-time comparison of a presented service credential with the configured one. */
export function isServiceToken (presented: unknown, secret: string | undefined): boolean {
  if (!secret || typeof presented !== 'string') return false
  return timingSafeEqual(digest(presented), digest(secret))
}

/** Every `/internal/*` route requires the shared service credential; without it: 401. */
export function protectInternalRoutes (app: FastifyInstance, secret: string | undefined): void {
  app.addHook('onRequest', async (request) => {
    // The matched route, not the raw URL: an unknown /internal path stays a plain 404.
    if (!request.routeOptions.url?.startsWith('/internal/')) return
    if (!isServiceToken(request.headers[SERVICE_TOKEN_HEADER], secret)) {
      throw KitErrors.unauthorized('This route is for other services only: a valid service credential is required')
    }
  })
}
