import type { FastifyRequest } from 'fastify'

/** The gateway's route pattern (`/api/v1/users/:id`) for the access log and metrics; Fastify's for its own routes. */
export const gatewayRouteLabel = (request: FastifyRequest): string | undefined => request.gatewayRoute?.pattern ?? request.routeOptions.url

/**
 * What the gateway adds to a request's access line: the upstream pool and the
 * instance it went to last, and who asked (the token's subject, never the token).
 */
export function gatewayAccessFields (request: FastifyRequest): Record<string, unknown> {
  const attempt = request.upstreamAttempt
  return { upstream: attempt?.pool, instance: attempt?.upstream, userId: request.identity?.sub }
}
