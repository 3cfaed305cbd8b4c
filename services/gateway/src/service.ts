import type { RedisCache } from '@app/kit/cache'
import { defineService } from '@app/kit/service'
import { accessTokenSettings } from '@app/kit/tokens'
import type { ServiceName } from '@app/kit/service'
import { GatewayConfigSchema, listOf } from './config.ts'
import { registerDocs } from './docs.ts'
import { devInboxProbe, registerConsolePages } from './console-pages.ts'
import { installIdentity } from './identity-headers.ts'
import { overviewOpenApi, registerOverview } from './overview.ts'
import { registerAdminHealth, withAdminHealth } from './admin-health.ts'
import { registerProxies } from './proxy.ts'
import { gatewayAccessFields, gatewayRouteLabel } from './access-log.ts'
import { startOpsListener } from './ops-listener.ts'
import { rateLimitRules } from './rate-limit-rules.ts'
import { createRateLimitStore } from './rate-limit-store.ts'
import { clientIpResolver, installRateLimits } from './rate-limits.ts'
import { rateLimitRejections } from './rate-limit-metrics.ts'
import { createResponseCache, installResponseCache } from './response-cache.ts'
import { registerResponseCacheMetrics } from './response-cache-metrics.ts'
import { corsOriginsFor, installSecurityHeaders } from './security-headers.ts'
import { gatewayTls } from './tls.ts'
import { installUrlLengthLimit } from './url-length.ts'
import { createRevocationList } from './revocation-list.ts'
import type { RevocationPage } from './revocation-list.ts'
import { createTokenVerifier } from './token-verifier.ts'
import { buildUpstreamPools, parseUpstreamUrls, ROUTED_SERVICES } from './pools.ts'
import { firstHealthy } from './upstream-pool.ts'
import { registerUpstreamMetrics, upstreamReadiness } from './upstream-status.ts'
import { ROUTE_TABLE } from './routes.ts'
import { installRouting, readRouting } from './routing.ts'
import { installPolicy } from './policy.ts'
import { traceContextTrust } from './trace-context-trust.ts'
import { trustTraceContextOf } from '@app/kit/tracing'

export const gatewayService = defineService({
  name: 'gateway',
  description: 'The public entry of the platform.',
  configSchema: GatewayConfigSchema,
  stateless: true,
  // Clients of the public entry (load balancers) expect long keep-alive; the services use 5 s.
  // It strips identity assertions from clients and signs its own; it never reads one.
  // Its metrics are on the operations listener (GATEWAY_OPS_PORT), never the public port.
  serverOptions: { openapiRoute: false, keepAliveTimeoutMs: 72_000, identityAssertions: false, metricsRoute: false, routeLabel: gatewayRouteLabel, accessLogFields: gatewayAccessFields },
  // HTTPS and HTTP/2 with GATEWAY_TLS_CERT and GATEWAY_TLS_KEY.
  tls: gatewayTls,
  async setup (app, { config, env, cache, log, keys, addReadinessCheck, client, onClose, now, tracing }) {
    // Fails start-up (naming IDENTITY_KEYS) rather than every request when no identity key is configured.
    keys.identity.current()
    // The public edge: a client's traceparent is believed only from a trusted proxy (GATEWAY_TRUST_TRACE_CONTEXT),
    // as its server span's parent and in what it forwards.
    const trustsTraceContext = traceContextTrust(config.GATEWAY_TRUST_TRACE_CONTEXT, listOf(config.GATEWAY_TRUSTED_PROXIES))
    if (tracing.enabled) trustTraceContextOf(tracing, trustsTraceContext)
    const services = [...new Set(ROUTE_TABLE.map(u => u.upstream as ServiceName))]
    // The route table (built-in and GATEWAY_ROUTES), retired routes and IP rules, checked before anything is opened.
    const routing = readRouting(config, [...ROUTED_SERVICES, ...parseUpstreamUrls(config.GATEWAY_UPSTREAM_URLS).keys()])
    // One pool per upstream, shared by its prefixes: every service's `<NAME>_SERVICE_URL`, and GATEWAY_UPSTREAM_URLS.
    const pools = await buildUpstreamPools(config, env, { log })
    onClose(async () => { for (const pool of pools.values()) pool.close() })
    for (const pool of pools.values()) addReadinessCheck(upstreamReadiness(pool))
    registerUpstreamMetrics(app.metricsRegistry, [...pools.values()])
    app.decorate('opsUrl', null)
    if (config.GATEWAY_OPS_PORT !== undefined) {
      const ops = await startOpsListener(config.GATEWAY_OPS_HOST, config.GATEWAY_OPS_PORT, app.metricsRegistry)
      app.opsUrl = ops.url
      onClose(() => ops.close())
    }
    const urlOf = (service: ServiceName) => () => firstHealthy(pools.get(service)!)

    // Order matters: hooks run as added, and all of them before any proxied route.
    await installSecurityHeaders(app, corsOriginsFor(listOf(config.GATEWAY_CORS_ORIGINS), config.NODE_ENV), config.GATEWAY_TLS_CERT ? config.GATEWAY_HSTS_MAX_AGE_SECONDS : undefined)
    installUrlLengthLimit(app, config.GATEWAY_MAX_URL_LENGTH)
    const routeMisses = installRouting(app, { ...routing, clientIpOf: clientIpResolver(listOf(config.GATEWAY_TRUSTED_PROXIES)), now: () => now().getTime() })
    const redis = cache.shared.kind === 'redis' ? cache.shared as RedisCache : undefined
    const store = createRateLimitStore({
      redis,
      // The cache's own prefix (CACHE_PREFIX), so the buckets live beside every other key of this deployment
      // (not under the old fixed-window counters' `gateway:rate-limit:`, which hold strings).
      prefix: `${redis?.keyPrefix ?? ''}gateway:rate-bucket:`,
      log
    })
    addReadinessCheck({ name: 'rate-limit-store', check: async () => store.isDegraded() ? 'degraded' : undefined })
    const limits = installRateLimits(app, {
      rules: rateLimitRules(config.GATEWAY_RATE_LIMITS, config),
      trustedProxies: listOf(config.GATEWAY_TRUSTED_PROXIES),
      store,
      rejected: rateLimitRejections(app.metricsRegistry)
    })
    // Unknown paths get their 404 only now, once they spent from the per-IP and global buckets like any request.
    app.addHook('onRequest', routeMisses.answerMiss)
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
    installPolicy(app)
    app.addHook('onRequest', limits.perUser)
    // A preHandler, so after every onRequest check: a stored answer goes only to a request the policy and limits let through.
    if (config.GATEWAY_CACHE_MAX_ENTRIES > 0 && config.GATEWAY_CACHE_MAX_BYTES > 0) {
      const responseCache = createResponseCache({
        maxEntries: config.GATEWAY_CACHE_MAX_ENTRIES,
        maxBytes: config.GATEWAY_CACHE_MAX_BYTES,
        maxEntryBytes: config.GATEWAY_CACHE_MAX_ENTRY_BYTES,
        now: () => now().getTime()
      })
      installResponseCache(app, responseCache)
      registerResponseCacheMetrics(app.metricsRegistry, responseCache)
    }

    await registerProxies(app, routing.routes, { pools, timeoutMs: config.GATEWAY_UPSTREAM_TIMEOUT_MS, connections: config.GATEWAY_UPSTREAM_CONNECTIONS, assertions: { keyring: keys.identity, ttlSeconds: config.GATEWAY_IDENTITY_ASSERTION_TTL_SECONDS }, clientIpOf: clientIpResolver(listOf(config.GATEWAY_TRUSTED_PROXIES)), tracing, trustsTraceContext })
    registerOverview(app, {
      pools,
      timeoutMs: config.GATEWAY_AGGREGATE_TIMEOUT_MS,
      assertions: { keyring: keys.identity, ttlSeconds: config.GATEWAY_IDENTITY_ASSERTION_TTL_SECONDS },
      clientIpOf: clientIpResolver(listOf(config.GATEWAY_TRUSTED_PROXIES))
    })
    registerAdminHealth(app, { pools, services: ROUTED_SERVICES, timeoutMs: config.GATEWAY_ADMIN_HEALTH_TIMEOUT_MS, now })
    if (config.GATEWAY_CONSOLE_ENABLED) await registerConsolePages(app, config.GATEWAY_CONSOLE_DIR, { devInbox: devInboxProbe(urlOf('notification'), config.GATEWAY_UPSTREAM_TIMEOUT_MS) })
    // API docs are a development aid: published in production only when asked for.
    if (config.GATEWAY_DOCS_ENABLED ?? config.NODE_ENV !== 'production') {
      await registerDocs(app, services.map(service => ({ service, url: urlOf(service) })), () => withAdminHealth(app, overviewOpenApi(app)))
    }
  }
})
