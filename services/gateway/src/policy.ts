import type { FastifyRequest } from 'fastify'
import type { AppError } from '@app/kit/errors'
import { KitErrors } from '@app/kit/errors'
import type { App } from '@app/kit/http'

/**
 * What the route's policy says to this request, once its token was verified:
 * `authenticated` needs an identity (401 `unauthorized`), `admin` the admin
 * role (403 `forbidden`); undefined lets it through. Defence in depth: the
 * services check again.
 */
export function policyRefusal (request: FastifyRequest): AppError | undefined {
  const policy = request.gatewayRoute?.policy
  if (policy !== 'authenticated' && policy !== 'admin') return undefined
  const identity = request.identity
  if (!identity) return KitErrors.unauthorized('This route needs a bearer access token')
  if (policy === 'admin' && !identity.roles.includes('admin')) return KitErrors.forbidden('This route is for administrators')
  return undefined
}

export function installPolicy (app: App): void {
  // Callback style: nothing here waits, and the hook runs on every request.
  app.addHook('onRequest', (request, _reply, done) => { done(policyRefusal(request)) })
}
