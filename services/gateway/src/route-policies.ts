import { CONSOLE_PAGE_PATTERNS } from './console-pages.ts'
import type { Policy, RouteGroup } from './routes.ts'

/**
 * Who may call one route through the gateway, enforced before the request is
 * proxied (defence in depth: each service still makes its own checks).
 * `pattern` is written as the service serves the route (`:name` for one path
 * segment, a final `*` for any rest); `method` `*` is every method (Connect RPC
 * answers the methods it does not serve itself). HEAD follows GET.
 */
export interface RoutePolicy {
  method: string
  pattern: string
  policy: Policy
  group: RouteGroup
}

const rule = (method: string, pattern: string, policy: Policy, group: RouteGroup): RoutePolicy => ({ method, pattern, policy, group })
const publicRoute = (method: string, pattern: string, group: RouteGroup = 'api') => rule(method, pattern, 'public', group)
const userRoute = (method: string, pattern: string, group: RouteGroup = 'account') => rule(method, pattern, 'authenticated', group)
const adminRoute = (method: string, pattern: string) => rule(method, pattern, 'admin', 'admin')

/**
 * Every route the services serve. A route where a user acts on their own
 * resource or, as an admin, on anyone's (`GET /api/v1/users/:id`, orders) is
 * `authenticated` here: the service decides whose it is. A test fails when a
 * service serves a route this table does not name, or the table names a route
 * nobody serves (docs/gateway.md lists it for people).
 */
export const SERVICE_ROUTE_POLICIES: RoutePolicy[] = [
  // Service to service only; never routed, whatever the path prefix says.
  rule('*', '/internal/*', 'internal', 'api'),

  // user
  publicRoute('POST', '/api/v1/users/register', 'sensitive'),
  userRoute('GET', '/api/v1/users/me'),
  userRoute('PATCH', '/api/v1/users/me'),
  userRoute('DELETE', '/api/v1/users/me'),
  userRoute('POST', '/api/v1/users/me/phone/verify'),
  userRoute('GET', '/api/v1/users/me/preferences'),
  userRoute('PUT', '/api/v1/users/me/preferences'),
  adminRoute('GET', '/api/v1/users'),
  userRoute('GET', '/api/v1/users/:id', 'api'),
  adminRoute('PUT', '/api/v1/users/:id/roles'),
  adminRoute('POST', '/api/v1/users/:id/disable'),
  adminRoute('POST', '/api/v1/users/:id/enable'),
  adminRoute('DELETE', '/api/v1/users/:id'),
  // The link sent to the previous address, and the form its page posts.
  publicRoute('GET', '/api/v1/users/email-change/undo', 'account'),
  publicRoute('POST', '/api/v1/users/email-change/undo', 'account'),
  publicRoute('POST', '/api/v1/users/email-change/undo/form', 'account'),

  // auth
  publicRoute('POST', '/api/v1/auth/login', 'sensitive'),
  publicRoute('POST', '/api/v1/auth/refresh', 'account'),
  publicRoute('POST', '/api/v1/auth/validate'),
  publicRoute('POST', '/api/v1/auth/logout', 'account'),
  userRoute('POST', '/api/v1/auth/logout-all'),
  publicRoute('POST', '/api/v1/auth/phone/signup', 'sensitive'),
  publicRoute('POST', '/api/v1/auth/phone/verify', 'sensitive'),
  publicRoute('POST', '/api/v1/auth/phone/login/start', 'sensitive'),
  publicRoute('POST', '/api/v1/auth/phone/login', 'sensitive'),
  publicRoute('POST', '/api/v1/auth/phone/check', 'sensitive'),
  userRoute('GET', '/api/v1/auth/mfa'),
  userRoute('PUT', '/api/v1/auth/mfa'),
  userRoute('POST', '/api/v1/auth/mfa/recovery-codes', 'sensitive'),
  // The second step of a login: the caller has no token yet.
  publicRoute('POST', '/api/v1/auth/mfa/verify', 'sensitive'),
  userRoute('GET', '/api/v1/auth/sessions'),
  userRoute('DELETE', '/api/v1/auth/sessions/:id'),
  adminRoute('GET', '/api/v1/auth/users/:id/sessions'),
  adminRoute('DELETE', '/api/v1/auth/users/:id/sessions/:sid'),
  userRoute('POST', '/api/v1/auth/reauthenticate'),
  userRoute('POST', '/api/v1/auth/reauthenticate/start'),
  userRoute('POST', '/api/v1/auth/passkeys/register/options', 'sensitive'),
  userRoute('POST', '/api/v1/auth/passkeys/register', 'sensitive'),
  publicRoute('POST', '/api/v1/auth/passkeys/login/options', 'sensitive'),
  publicRoute('POST', '/api/v1/auth/passkeys/login', 'sensitive'),
  userRoute('GET', '/api/v1/auth/passkeys'),
  userRoute('PATCH', '/api/v1/auth/passkeys/:id'),
  userRoute('DELETE', '/api/v1/auth/passkeys/:id'),
  // A passkey as the second step of a login: the caller has no token yet.
  publicRoute('POST', '/api/v1/auth/mfa/passkey/options', 'sensitive'),
  publicRoute('POST', '/api/v1/auth/mfa/passkey', 'sensitive'),
  publicRoute('POST', '/api/v1/auth/magic-link', 'sensitive'),
  publicRoute('GET', '/api/v1/auth/magic-link/verify', 'account'),
  publicRoute('POST', '/api/v1/auth/magic-link/verify', 'sensitive'),
  publicRoute('POST', '/api/v1/auth/magic-link/verify/form', 'sensitive'),
  // Sign-in with an identity provider: the browser is sent to start, and brought back to callback, by redirects.
  publicRoute('GET', '/api/v1/auth/oidc/providers'),
  publicRoute('GET', '/api/v1/auth/oidc/:provider/start', 'sensitive'),
  publicRoute('GET', '/api/v1/auth/oidc/:provider/callback', 'sensitive'),
  publicRoute('POST', '/api/v1/auth/oidc/exchange', 'sensitive'),
  // the hosted pages (apps/console)
  publicRoute('GET', '/api/v1/auth/hosted-config'),
  userRoute('POST', '/api/v1/auth/handoff', 'sensitive'),
  publicRoute('POST', '/api/v1/auth/handoff/exchange', 'sensitive'),
  publicRoute('GET', '/.well-known/jwks.json'),
  publicRoute('*', '/rpc/auth.v1.AuthService/SignupWithPhoneNumber', 'sensitive'),
  publicRoute('*', '/rpc/auth.v1.AuthService/VerifyPhoneNumber', 'sensitive'),
  publicRoute('*', '/rpc/auth.v1.AuthService/LoginWithPhoneNumber', 'sensitive'),
  publicRoute('*', '/rpc/auth.v1.AuthService/ValidatePhoneNumberLogin', 'sensitive'),
  userRoute('*', '/rpc/auth.v1.AuthService/GetProfile', 'rpc'),

  // password
  publicRoute('POST', '/api/v1/password/forgot', 'sensitive'),
  publicRoute('POST', '/api/v1/password/reset', 'sensitive'),
  publicRoute('GET', '/api/v1/password/reset', 'account'),
  publicRoute('POST', '/api/v1/password/reset/form', 'sensitive'),
  userRoute('POST', '/api/v1/password/change'),

  // otp
  publicRoute('POST', '/api/v1/otp/generate', 'sensitive'),
  publicRoute('POST', '/api/v1/otp/resend', 'sensitive'),
  publicRoute('POST', '/api/v1/otp/regenerate', 'sensitive'),
  publicRoute('POST', '/api/v1/otp/validate', 'sensitive'),
  publicRoute('*', '/rpc/otp.v1.OtpService/GenerateOtp', 'sensitive'),

  // email-verification
  publicRoute('POST', '/api/v1/email-verification/send', 'sensitive'),
  publicRoute('POST', '/api/v1/email-verification/verify', 'account'),
  publicRoute('GET', '/api/v1/email-verification/verify', 'account'),
  publicRoute('POST', '/api/v1/email-verification/verify/form', 'account'),

  // notification (the dev inbox exists only where the service enables it)
  publicRoute('GET', '/dev/inbox', 'dev'),
  publicRoute('DELETE', '/dev/inbox', 'dev'),
  userRoute('GET', '/api/v1/notifications/me'),
  adminRoute('GET', '/api/v1/notifications'),
  adminRoute('GET', '/api/v1/notifications/dead'),
  adminRoute('POST', '/api/v1/notifications/:id/retry'),

  // audit
  adminRoute('GET', '/api/v1/audit/events'),
  adminRoute('GET', '/api/v1/audit/verify'),

  // order
  userRoute('POST', '/api/v1/orders', 'api'),
  userRoute('GET', '/api/v1/orders', 'api'),
  userRoute('GET', '/api/v1/orders/:id', 'api')
]

/** Routes the gateway serves itself; the ones not named here (health, metrics) are not classified. */
export const GATEWAY_ROUTE_POLICIES: RoutePolicy[] = [
  userRoute('GET', '/api/v1/me/overview'),
  adminRoute('GET', '/api/v1/admin/health'),
  publicRoute('GET', '/openapi.json', 'docs'),
  publicRoute('GET', '/docs', 'docs'),
  publicRoute('GET', '/docs/*', 'docs'),
  // The console (apps/console): its pages and their static files. The pages call the API like any other client.
  ...CONSOLE_PAGE_PATTERNS.map(pattern => publicRoute('GET', pattern, 'pages'))
]
