import { Type } from '@sinclair/typebox'

// Deprecated (GATEWAY_RATE_LIMITS replaces them): unset unless given, so that only the ones given override the built-in limits.
const PerMinute = (description: string) => Type.Optional(Type.Integer({ minimum: 1, maximum: 1_000_000_000, description: `deprecated, use GATEWAY_RATE_LIMITS: ${description}` }))

export const GatewayConfigSchema = Type.Object({
  GATEWAY_UPSTREAM_TIMEOUT_MS: Type.Integer({ default: 10_000, minimum: 100, maximum: 300_000, description: 'one deadline per proxied request: how long the gateway waits for a connection to a service instance and for its answer\'s head, retries on other instances included, before answering 504; each pause in the answer\'s body gets as long' }),
  GATEWAY_UPSTREAM_CONNECTIONS: Type.Integer({ default: 128, minimum: 1, maximum: 10_000, description: 'connections the gateway keeps open to each service instance at most; further requests wait for one, within GATEWAY_UPSTREAM_TIMEOUT_MS' }),
  GATEWAY_UPSTREAM_COOLDOWN_MS: Type.Integer({ default: 1000, minimum: 100, maximum: 600_000, description: 'after a connection to an instance was refused (or it answered that it is closing), how long until its first readiness probe; the wait doubles while it stays down, up to 5 s or this value' }),
  GATEWAY_LB_STRATEGY: Type.Union([Type.Literal('round-robin'), Type.Literal('least-connections'), Type.Literal('weighted')], { default: 'round-robin', description: 'one of "round-robin", "least-connections", "weighted": how the gateway spreads requests over the instances of an upstream, unless GATEWAY_LB_STRATEGIES names it' }),
  GATEWAY_LB_STRATEGIES: Type.String({ default: '', description: 'per-upstream strategies overriding GATEWAY_LB_STRATEGY, comma-separated `name:strategy` (e.g. user:least-connections,order:weighted)' }),
  GATEWAY_HEALTH_CHECK_MS: Type.Integer({ default: 5000, minimum: 0, maximum: 600_000, description: 'how often the gateway sends GET /readyz to every upstream instance; 0 turns the active check off (connection failures still take an instance out)' }),
  GATEWAY_HEALTH_CHECK_FAILURES: Type.Integer({ default: 2, minimum: 1, maximum: 100, description: 'consecutive failed health checks (not 200, or no answer in 2 s) that take an instance out of the rotation' }),
  GATEWAY_HEALTH_CHECK_SUCCESSES: Type.Integer({ default: 2, minimum: 1, maximum: 100, description: 'consecutive passed health checks that bring an instance taken out by them back' }),
  GATEWAY_DNS_REFRESH_MS: Type.Integer({ default: 5000, minimum: 100, maximum: 3_600_000, description: 'how often the `dns://name:port` entries of the upstream URL lists are resolved again' }),
  GATEWAY_DNS_SERVERS: Type.String({ default: '', description: 'comma-separated DNS servers (`ip` or `ip:port`) asked for the addresses of `dns://` entries; empty uses the system resolver (hosts file and search domains included)' }),
  GATEWAY_UPSTREAM_URLS: Type.String({ default: '', description: 'extra upstream pools for versioned routes, `name=url url;name2=url`: each URL as in <NAME>_SERVICE_URL (weights and dns:// included)' }),
  GATEWAY_ROUTES: Type.String({ default: '', description: 'routes added to (or replacing, for the same prefix) the built-in route table, a JSON list of `{ "prefix", "upstream", "rewritePrefix"?, "service"? }`: `upstream` names a service or an upstream of GATEWAY_UPSTREAM_URLS, `rewritePrefix` is what the prefix becomes upstream, `service` the service an extra upstream runs (e.g. `[{"prefix":"/api/v2/users","upstream":"user-v2","service":"user"}]`)' }),
  GATEWAY_RETIRED_ROUTES: Type.String({ default: '', description: 'retired path prefixes, `prefix=[deprecated/]sunset[>successor]` separated by `;` (ISO 8601 instants, e.g. `/api/v0=2027-06-30T00:00:00Z>/api/v1`): answered with Deprecation, Sunset and successor-version Link headers until the sunset, 410 route_retired after it' }),
  GATEWAY_IP_RULES: Type.String({ default: '', description: 'client addresses allowed or refused per route group, `group=allow:cidr,cidr` or `group=deny:cidr` separated by `;` (e.g. `admin=allow:10.0.0.0/8;api=deny:203.0.113.0/24`); the address honours GATEWAY_TRUSTED_PROXIES; others get 403 forbidden' }),
  GATEWAY_REVOCATION_POLL_MS: Type.Integer({ default: 1000, minimum: 50, maximum: 60_000, description: 'how often the gateway reads the sessions ended recently from the auth service: a logged-out access token is refused at most this late' }),
  GATEWAY_IDENTITY_ASSERTION_TTL_SECONDS: Type.Integer({ default: 10, minimum: 1, maximum: 60, description: 'how long the identity assertion the gateway sends with each request to a service is valid; services refuse it after that (plus 5 s of clock skew)' }),
  GATEWAY_REVOCATION_FAIL_CLOSED_AFTER_MS: Type.Integer({ default: 10_000, minimum: 1000, maximum: 3_600_000, description: 'after this long without a successful read of the ended sessions, requests with a bearer token answer 503 with Retry-After (fail closed) until a read succeeds' }),
  GATEWAY_CACHE_MAX_ENTRIES: Type.Integer({ default: 1000, minimum: 0, maximum: 100_000, description: 'how many answers the gateway keeps in its in-memory response cache (GET answers a service marks `Cache-Control: public, max-age` or `s-maxage`); 0 turns the cache off' }),
  GATEWAY_CACHE_MAX_BYTES: Type.Integer({ default: 16_777_216, minimum: 0, maximum: 1_073_741_824, description: 'the response cache\'s size limit, bodies and headers together; the least recently used answers go first; 0 turns the cache off' }),
  GATEWAY_CACHE_MAX_ENTRY_BYTES: Type.Integer({ default: 262_144, minimum: 1, maximum: 1_073_741_824, description: 'a larger answer is passed through and never kept (nor buffered)' }),
  GATEWAY_AGGREGATE_TIMEOUT_MS: Type.Integer({ default: 2000, minimum: 50, maximum: 60_000, description: 'how long GET /api/v1/me/overview waits for each of its parts; a part later than that answers `{ error: { code: \'upstream_timeout\' } }`' }),
  GATEWAY_ADMIN_HEALTH_TIMEOUT_MS: Type.Integer({ default: 3000, minimum: 50, maximum: 60_000, description: 'how long GET /api/v1/admin/health waits for each instance\'s /readyz and /metrics; an instance later than that is shown down (`timeout`)' }),
  GATEWAY_CONSOLE_ENABLED: Type.Boolean({ default: true, description: 'serve the console: the hosted sign-in pages (/auth/*), the account page (/account) and the admin console (/admin)' }),
  GATEWAY_CONSOLE_DIR: Type.Optional(Type.String({ minLength: 1, description: 'the built console (default: apps/console/dist of this checkout, made by npm run build)' })),
  GATEWAY_DOCS_ENABLED: Type.Optional(Type.Boolean({ description: 'serve /docs and the merged /openapi.json; unset: on unless NODE_ENV is production' })),
  GATEWAY_OPS_PORT: Type.Optional(Type.Integer({ minimum: 0, maximum: 65_535, description: 'port of the operations listener serving /metrics (0: any free port); unset: no listener, and the gateway serves /metrics nowhere (never on its public port)' })),
  GATEWAY_OPS_HOST: Type.String({ default: '127.0.0.1', minLength: 1, description: 'address the operations listener binds (e.g. 0.0.0.0 for a Prometheus scraping the pod); keep it off the public network' }),
  GATEWAY_JWT_ISSUER: Type.String({ default: 'gatehouse', minLength: 1, description: 'the `iss` every access token must carry (the auth service signs with the same value)' }),
  GATEWAY_JWT_AUDIENCE: Type.String({ default: 'gatehouse-api', minLength: 1, description: 'the `aud` every access token must carry' }),
  GATEWAY_RATE_LIMITS: Type.String({ default: '', description: 'token-bucket rate limits, `scope=rate/unit [burst n]` or `scope=off` separated by `;`, scope `global`, `ip`, `user` or `group.<route group>`, unit `s`, `min` or `h` (e.g. `global=5000/s burst 10000; ip=10/s burst 600; group.sensitive=20/min burst 5`); scopes not named keep their defaults' }),
  GATEWAY_RATE_LIMIT_PER_MINUTE: PerMinute('per client IP, N/min with a bucket of N (plus GATEWAY_RATE_LIMIT_BURST); same as ip=N/min burst N'),
  GATEWAY_RATE_LIMIT_BURST: Type.Optional(Type.Integer({ minimum: 0, maximum: 1_000_000_000, description: 'deprecated, use GATEWAY_RATE_LIMITS: added to the per-IP bucket size' })),
  GATEWAY_SENSITIVE_RATE_LIMIT_PER_MINUTE: PerMinute('per client IP on the sensitive route group; same as group.sensitive=N/min burst N'),
  GATEWAY_USER_RATE_LIMIT_PER_MINUTE: PerMinute('per authenticated user; same as user=N/min burst N'),
  GATEWAY_TRUSTED_PROXIES: Type.String({ default: '', description: 'comma-separated IPs/CIDRs (or loopback, linklocal, uniquelocal) of proxies whose X-Forwarded-For is believed; empty trusts nobody' }),
  GATEWAY_TRUST_TRACE_CONTEXT: Type.Union([Type.Literal('trusted-proxies'), Type.Literal('always'), Type.Literal('never')], { default: 'trusted-proxies', description: 'one of "trusted-proxies", "always", "never": whose W3C traceparent/tracestate the gateway continues and forwards; trusted-proxies: only a request whose peer is in GATEWAY_TRUSTED_PROXIES (nobody when that is empty), others start a new trace and their headers are dropped' }),
  GATEWAY_CORS_ORIGINS: Type.String({ default: '', description: 'comma-separated origins allowed to call the API from a browser (e.g. https://app.example.com); empty: every http://localhost:* and http://127.0.0.1:* page outside production, none in production' }),
  GATEWAY_TLS_CERT: Type.Optional(Type.String({ minLength: 1, description: 'the certificate (chain) to serve HTTPS and HTTP/2 with: a PEM file\'s path, or the PEM text itself (a value containing -----BEGIN); set with GATEWAY_TLS_KEY; unset serves plain HTTP' })),
  GATEWAY_TLS_KEY: Type.Optional(Type.String({ minLength: 1, description: 'the private key of GATEWAY_TLS_CERT, unencrypted: a PEM file\'s path, or the PEM text itself' })),
  GATEWAY_HSTS_MAX_AGE_SECONDS: Type.Integer({ default: 31_536_000, minimum: 0, maximum: 63_072_000, description: 'with TLS on, the max-age of the Strict-Transport-Security header (includeSubDomains) on every response; 0 tells browsers to forget it; without TLS no such header is sent' }),
  GATEWAY_MAX_URL_LENGTH: Type.Integer({ default: 8192, minimum: 256, maximum: 16_000, description: 'longest URL (path and query) the gateway accepts; a longer one is answered 414 without reaching a service' })
})

/** A comma-separated setting as a list, without blanks. */
export function listOf (value: string): string[] {
  return value.split(',').map(v => v.trim()).filter(Boolean)
}
