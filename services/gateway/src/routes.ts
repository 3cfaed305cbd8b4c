/** Which limits, IP rules and defaults a route falls under. */
export type RouteGroup = 'sensitive' | 'account' | 'admin' | 'api' | 'rpc' | 'docs' | 'dev' | 'pages'

/** Who may reach a route through the gateway (the service still makes its own checks). */
export type Policy = 'public' | 'authenticated' | 'admin' | 'internal'

export interface RouteEntry {
  /** Public path prefix. */
  prefix: string
  /** Pool name: a service name or an extra upstream (GATEWAY_UPSTREAM_URLS). */
  upstream: string
  /** What the prefix becomes on the upstream; the prefix itself (forwarded unchanged) when absent. */
  rewritePrefix?: string
  /** The service the upstream runs, which the identity assertion is for; `upstream` itself when absent (a service's own pool). */
  service?: string
}

export interface ResolvedRoute {
  entry: RouteEntry
  /** The request path, normalised (decoded, dot segments and trailing slash removed). */
  path: string
  group: RouteGroup
  policy: Policy
  /** Low-cardinality label for logs and metrics, e.g. '/api/v1/users/:id'. */
  pattern: string
}

declare module 'fastify' {
  interface FastifyRequest {
    /** The route this request matched; null when it matched none (answered 404) or for the gateway's own routes. */
    gatewayRoute: ResolvedRoute | null
  }
}

/** The public route table. `/internal/*` is deliberately absent: those routes are never reachable from outside. */
export const ROUTE_TABLE: RouteEntry[] = [
  { prefix: '/api/v1/users', upstream: 'user' },
  { prefix: '/api/v1/auth', upstream: 'auth' },
  { prefix: '/.well-known', upstream: 'auth' },
  { prefix: '/api/v1/password', upstream: 'password' },
  { prefix: '/api/v1/otp', upstream: 'otp' },
  { prefix: '/api/v1/email-verification', upstream: 'email-verification' },
  { prefix: '/api/v1/notifications', upstream: 'notification' },
  { prefix: '/dev/inbox', upstream: 'notification' },
  { prefix: '/api/v1/audit', upstream: 'audit' },
  { prefix: '/api/v1/orders', upstream: 'order' },
  // Connect RPC (and gRPC-Web) on HTTP/1.1; gRPC itself needs HTTP/2 and goes to the services' h2c ports.
  { prefix: '/rpc/auth.v1.AuthService', upstream: 'auth' },
  { prefix: '/rpc/otp.v1.OtpService', upstream: 'otp' }
]
