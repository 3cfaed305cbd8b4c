import type { ServiceName } from '@app/kit/service'

export interface Upstream {
  /** Public path prefix, forwarded unchanged: services serve their public routes under it. */
  prefix: string
  service: ServiceName
}

/** The public route table. `/internal/*` is deliberately absent: those routes are never reachable from outside. */
export const UPSTREAMS: Upstream[] = [
  { prefix: '/api/v1/users', service: 'user' },
  { prefix: '/api/v1/auth', service: 'auth' },
  { prefix: '/.well-known', service: 'auth' },
  { prefix: '/api/v1/password', service: 'password' },
  { prefix: '/api/v1/otp', service: 'otp' },
  { prefix: '/api/v1/email-verification', service: 'email-verification' },
  { prefix: '/api/v1/notifications', service: 'notification' },
  { prefix: '/dev/inbox', service: 'notification' },
  { prefix: '/api/v1/audit', service: 'audit' },
  { prefix: '/api/v1/orders', service: 'order' },
  // Connect RPC (and gRPC-Web) on HTTP/1.1; gRPC itself needs HTTP/2 and goes to the services' h2c ports.
  { prefix: '/rpc/auth.v1.AuthService', service: 'auth' },
  { prefix: '/rpc/otp.v1.OtpService', service: 'otp' }
]
