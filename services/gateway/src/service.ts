import type { RedisCache } from '@app/kit/cache'
import { defineService, serviceUrls } from '@app/kit/service'
import { accessTokenSettings } from '@app/kit/tokens'
import type { ServiceName } from '@app/kit/service'
import { GatewayConfigSchema, listOf } from './config.ts'
import { registerDocs } from './docs.ts'
import { installIdentity } from './identity-headers.ts'
import { registerProxies } from './proxy.ts'
import { createRateLimitStore } from './rate-limit-store.ts'
import { clientIpResolver, installRateLimits } from './rate-limits.ts'
import { installSecurityHeaders } from './security-headers.ts'
import { createRevocationList } from './revocation-list.ts'
import type { RevocationPage } from './revocation-list.ts'
import { createTokenVerifier } from './token-verifier.ts'
import { createUpstreamPool, firstHealthy } from './upstream-pool.ts'
import { registerUpstreamMetrics, upstreamReadiness } from './upstream-status.ts'
import { UPSTREAMS } from './upstreams.ts'

export const gatewayService = defineService({
  name: 'gateway',
  description: 'The public entry of the platform.',
  configSchema: GatewayConfigSchema,
  stateless: true,
  // Clients of the public entry (load balancers) expect long keep-alive; the services use 5 s.
  // It strips identity assertions from clients and signs its own; it never reads one.
  serverOptions: { openapiRoute: false, keepAliveTimeoutMs: 72_000, identityAssertions: false },
  async setup (app, { config, env, cache, log, keys, addReadinessCheck, client, onClose }) {
    // Fails start-up (naming IDENTITY_KEYS) rather than every request when no identity key is configured.
    keys.identity.current()
    // One pool per service, shared by its prefixes: every instance in `<NAME>_SERVICE_URL`.
    const services = [...new Set(UPSTREAMS.map(u => u.service))]
    const pools = new Map(services.map(service => [service, createUpstreamPool(service, serviceUrls(service, env), {
      cooldownMs: config.GATEWAY_UPSTREAM_COOLDOWN_MS
    })]))
    onClose(async () => { for (const pool of pools.values()) pool.close() })
    for (const pool of pools.values()) addReadinessCheck(upstreamReadiness(pool))
    registerUpstreamMetrics(app.metricsRegistry, [...pools.values()])
    const urlOf = (service: ServiceName) => () => firstHealthy(pools.get(service)!)

    // Order matters: hooks run as added, and all of them before any proxied route.
    await installSecurityHeaders(app, listOf(config.GATEWAY_CORS_ORIGINS))
    const redis = cache.shared.kind === 'redis' ? cache.shared as RedisCache : undefined
    const store = createRateLimitStore({
      redis,
      // The cache's own prefix (CACHE_PREFIX), so the counters live beside every other key of this deployment.
      prefix: `${redis?.keyPrefix ?? ''}gateway:rate-limit:`,
      log
    })
    addReadinessCheck({ name: 'rate-limit-store', check: async () => store.isDegraded() ? 'degraded' : undefined })
    const limits = await installRateLimits(app, {
      perMinute: config.GATEWAY_RATE_LIMIT_PER_MINUTE + config.GATEWAY_RATE_LIMIT_BURST,
      sensitivePerMinute: config.GATEWAY_SENSITIVE_RATE_LIMIT_PER_MINUTE,
      userPerMinute: config.GATEWAY_USER_RATE_LIMIT_PER_MINUTE,
      trustedProxies: listOf(config.GATEWAY_TRUSTED_PROXIES),
      store
    })
    const auth = client('auth')
    const revocations = createRevocationList({
      fetchPage: (since, afterId) => auth.call<RevocationPage>('GET', '/internal/auth/revocations', { query: { since, afterId } }),
      pollMs: config.GATEWAY_REVOCATION_POLL_MS,
      failClosedAfterMs: config.GATEWAY_REVOCATION_FAIL_CLOSED_AFTER_MS,
      warn: (obj, msg) => log.warn(obj, msg)
    })
    // Read once now when auth is up (the all-in-one process); otherwise the poll catches up.
    await revocations.sync().catch((err: unknown) => log.warn({ err }, 'ended sessions not read yet; authenticated requests wait for them'))
    revocations.start()
    onClose(async () => revocations.stop())
    addReadinessCheck({ name: 'revocations', check: async () => revocations.status() === 'ok' ? undefined : 'degraded' })
    installIdentity(app, createTokenVerifier({
      authUrl: urlOf('auth'),
      issuer: config.GATEWAY_JWT_ISSUER,
      audience: config.GATEWAY_JWT_AUDIENCE,
      // The auth service's own setting: a token living longer was not signed by its rules.
      maxLifetimeSeconds: accessTokenSettings(env).AUTH_ACCESS_TTL_SECONDS,
      revocations
    }))
    app.addHook('onRequest', limits.perUser)

    await registerProxies(app, UPSTREAMS, { pools, timeoutMs: config.GATEWAY_UPSTREAM_TIMEOUT_MS, assertions: { keyring: keys.identity, ttlSeconds: config.GATEWAY_IDENTITY_ASSERTION_TTL_SECONDS }, clientIpOf: clientIpResolver(listOf(config.GATEWAY_TRUSTED_PROXIES)) })
    if (config.GATEWAY_DOCS_ENABLED) {
      await registerDocs(app, services.map(service => ({ service, url: urlOf(service) })))
    }
  }
})
