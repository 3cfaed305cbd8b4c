import { Type } from '@sinclair/typebox'

const PerMinute = (description: string, value: number) => Type.Integer({ default: value, minimum: 1, maximum: 1_000_000, description })

export const GatewayConfigSchema = Type.Object({
  GATEWAY_UPSTREAM_TIMEOUT_MS: Type.Integer({ default: 10_000, minimum: 100, maximum: 300_000, description: 'how long the gateway waits for a service before answering 504' }),
  GATEWAY_UPSTREAM_COOLDOWN_MS: Type.Integer({ default: 1000, minimum: 100, maximum: 600_000, description: 'after a connection to an instance was refused (or it answered that it is closing), how long until its first readiness probe; the wait doubles while it stays down, up to 5 s or this value' }),
  GATEWAY_REVOCATION_POLL_MS: Type.Integer({ default: 1000, minimum: 50, maximum: 60_000, description: 'how often the gateway reads the sessions ended recently from the auth service: a logged-out access token is refused at most this late' }),
  GATEWAY_IDENTITY_ASSERTION_TTL_SECONDS: Type.Integer({ default: 10, minimum: 1, maximum: 60, description: 'how long the identity assertion the gateway sends with each request to a service is valid; services refuse it after that (plus 5 s of clock skew)' }),
  GATEWAY_REVOCATION_FAIL_CLOSED_AFTER_MS: Type.Integer({ default: 10_000, minimum: 1000, maximum: 3_600_000, description: 'after this long without a successful read of the ended sessions, requests with a bearer token answer 503 with Retry-After (fail closed) until a read succeeds' }),
  GATEWAY_DOCS_ENABLED: Type.Boolean({ default: true, description: 'serve /docs and the merged /openapi.json' }),
  GATEWAY_JWT_ISSUER: Type.String({ default: 'gatehouse', minLength: 1, description: 'the `iss` every access token must carry (the auth service signs with the same value)' }),
  GATEWAY_JWT_AUDIENCE: Type.String({ default: 'gatehouse-api', minLength: 1, description: 'the `aud` every access token must carry' }),
  GATEWAY_RATE_LIMIT_PER_MINUTE: PerMinute('requests per client IP per one-minute window, over all routes', 600),
  GATEWAY_RATE_LIMIT_BURST: Type.Integer({ default: 0, minimum: 0, maximum: 1_000_000, description: 'extra requests per client IP on top of GATEWAY_RATE_LIMIT_PER_MINUTE in each one-minute window (the window is fixed, so the limit sent is their sum)' }),
  GATEWAY_SENSITIVE_RATE_LIMIT_PER_MINUTE: PerMinute('requests per client IP per minute to login, register, forgot-password, OTP and phone-auth routes', 20),
  GATEWAY_USER_RATE_LIMIT_PER_MINUTE: PerMinute('requests per authenticated user (token `sub`) per minute', 1200),
  GATEWAY_TRUSTED_PROXIES: Type.String({ default: '', description: 'comma-separated IPs/CIDRs (or loopback, linklocal, uniquelocal) of proxies whose X-Forwarded-For is believed; empty trusts nobody' }),
  GATEWAY_CORS_ORIGINS: Type.String({ default: '', description: 'comma-separated origins allowed to call the API from a browser (e.g. https://app.example.com); empty sends no CORS headers' })
})

/** A comma-separated setting as a list, without blanks. */
export function listOf (value: string): string[] {
  return value.split(',').map(v => v.trim()).filter(Boolean)
}
