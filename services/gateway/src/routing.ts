import type { FastifyRequest, onRequestHookHandler } from 'fastify'
import { ConfigError } from '@app/kit/config'
import { KitErrors } from '@app/kit/errors'
import type { App } from '@app/kit/http'
import { createIpCheck, parseIpRules } from './ip-rules.ts'
import { parseRoutes, routeTableWith } from './route-config.ts'
import { createRouteResolver, pathSegments, isMiss } from './route-resolver.ts'
import type { RouteMiss } from './route-resolver.ts'
import { createRetirementCheck, parseRetiredRoutes } from './retired-routes.ts'

declare module 'fastify' {
  interface FastifyRequest {
    /** Why no route matched, until the 404 is sent (after the rate limits); null otherwise. */
    gatewayRouteMiss: RouteMiss | null
  }
}

export interface RoutingConfig {
  GATEWAY_ROUTES: string
  GATEWAY_RETIRED_ROUTES: string
  GATEWAY_IP_RULES: string
}

/**
 * The routing settings, read before anything is opened: the route table
 * (built-in and GATEWAY_ROUTES, whose upstreams must be among `upstreams`),
 * the retired routes and the IP rules; every problem of the three in one ConfigError.
 */
export function readRouting (config: RoutingConfig, upstreams: Iterable<string>) {
  const problems: string[] = []
  const attempt = <T>(read: () => T): T | undefined => {
    try {
      return read()
    } catch (err) {
      if (!(err instanceof ConfigError)) throw err
      problems.push(...err.problems)
      return undefined
    }
  }
  const routes = attempt(() => routeTableWith(parseRoutes(config.GATEWAY_ROUTES), new Set(upstreams)))
  const retired = attempt(() => parseRetiredRoutes(config.GATEWAY_RETIRED_ROUTES))
  const ipRules = attempt(() => parseIpRules(config.GATEWAY_IP_RULES))
  if (!routes || !retired || !ipRules) throw new ConfigError(problems)
  return { routes, retired, ipRules }
}

export interface RoutingSettings extends ReturnType<typeof readRouting> {
  /** The client's address as the trusted-proxy rules resolve it. */
  clientIpOf: (request: FastifyRequest) => string
  /** Epoch milliseconds, for the sunsets. */
  now: () => number
}

const OPERATIONS_ROUTES = new Set(['/healthz', '/readyz'])

/** The gateway's health endpoints and the CORS preflight route: no policy names them, and none is needed. */
function isOperational (request: FastifyRequest): boolean {
  const route = request.routeOptions.url
  return route !== undefined && (OPERATIONS_ROUTES.has(route) || (route === '*' && request.method === 'OPTIONS'))
}

/**
 * Defence in depth for the handlers that proxy or answer for a route: a
 * request the routing did not classify gets the unknown route's 404.
 */
export function unroutedRefusal (request: FastifyRequest) {
  return request.gatewayRoute ? undefined : KitErrors.not_found('No route matches the method and path')
}

function notFound (miss: RouteMiss, path: string) {
  if (miss.miss === 'unknown_version') {
    return KitErrors.not_found(`API version ${path.split('/')[2] ?? ''} does not exist`)
  }
  return KitErrors.not_found('No route matches the method and path')
}

/**
 * Resolves every request to its route before anything else looks at it
 * (`request.gatewayRoute`): retired routes get their Deprecation/Sunset
 * headers, or 410 after the sunset; a client address outside its route
 * group's IP rules 403. Internal, unknown and ambiguous paths and unknown API
 * versions are recorded as a miss (`gatewayRoute` null) and answered 404 by the
 * returned hook, which goes after the rate limits so that a client probing
 * paths spends its allowance like any other. None of these reach a service.
 * Only the gateway's operational routes (health, CORS preflight) stay
 * unclassified (null) without a miss.
 */
export function installRouting (app: App, settings: RoutingSettings): { answerMiss: onRequestHookHandler } {
  const resolve = createRouteResolver(settings.routes)
  const retirement = createRetirementCheck(settings.retired, settings.now)
  const allowed = createIpCheck(settings.ipRules)
  app.decorateRequest('gatewayRoute', null)
  app.decorateRequest('gatewayRouteMiss', null)
  // Callback style: nothing here waits, and the hook runs on every request.
  app.addHook('onRequest', (request, reply, done) => {
    const segments = settings.retired.length > 0 ? pathSegments(request.url) : undefined
    const retired = segments && retirement(segments)
    if (retired) {
      if (retired.gone) return done(retired.gone)
      reply.headers(retired.headers)
    }
    const resolved = resolve(request.method, request.url)
    if (isMiss(resolved)) {
      // Deny by default: only the operations endpoints go on unclassified.
      if (resolved.miss !== 'not_found' || !isOperational(request)) request.gatewayRouteMiss = resolved
      return done()
    }
    if (settings.ipRules.has(resolved.group) && !allowed(resolved.group, settings.clientIpOf(request))) {
      return done(KitErrors.forbidden('These routes cannot be used from your network address'))
    }
    request.gatewayRoute = resolved
    done()
  })
  return {
    answerMiss (request, _reply, done) {
      const miss = request.gatewayRouteMiss
      done(miss ? notFound(miss, request.url) : undefined)
    }
  }
}
