import { Type } from '@sinclair/typebox'
import type { Static, TObject } from '@sinclair/typebox'
import type { Logger } from 'pino'
import { BaseConfigSchema, ConfigError, loadConfig } from '../config/index.ts'
import type { BaseConfig, Env } from '../config/index.ts'
import { createLogger } from '../log/index.ts'
import { createRetentionJob, migrate, openDb, poolSize as budgetedPoolSize, KIT_MIGRATIONS } from '../db/index.ts'
import type { Db, MigrationSource, PgliteCluster, Queryable, Tx } from '../db/index.ts'
import { openCache, withLocalFallback } from '../cache/index.ts'
import type { Cache } from '../cache/index.ts'
import { deleteTopology } from '../bus/rabbit-topology.ts'
import type { RabbitBus } from '../bus/bus.rabbitmq.ts'
import { consumeOnce, wasProcessed, createEvent, createOutboxRelay, enqueueEvent, openBus, outboxRetentionRules, runWithOutbox, validEvent } from '../bus/index.ts'
import type { Bus, Subscription } from '../bus/index.ts'
import { createServiceClient } from '../client/index.ts'
import { measuredBus, registerOutboxMetrics } from '../metrics/index.ts'
import { createServer } from '../http/index.ts'
import type { App, ReadinessCheck } from '../http/index.ts'
import type { EventSpec, ServiceContext, ServiceDefinition } from './define-service.ts'
import { keyringProblems, loadServiceKeys } from '../keys/index.ts'
import { retryAtStartup } from './startup-retry.ts'
import { bindToActive, openServiceTracing, tracedBus, tracedCache, tracedDb, withTraceContext } from '../tracing/index.ts'
import { serviceUrls } from './ports.ts'
import type { ServiceName } from './ports.ts'
import { createClosePath } from './close-path.ts'
import type { ClosePath } from './close-path.ts'

/** Backends opened once by the launcher and shared by every service of the all-in-one process. */
export interface SharedBackends {
  cluster?: PgliteCluster
  cache?: Cache
  bus?: Bus
}

export interface StartOptions {
  env: Env
  shared?: SharedBackends
  log?: Logger
  /** Overrides PORT (the launcher gives each service its own). */
  port?: number
  now?: () => Date
  /**
   * Leave the outbox relay stopped until `startRelay()`: the all-in-one process
   * starts every relay once every service has subscribed its consumers, so no
   * event written during start-up (the first admin, say) finds nobody listening.
   */
  deferRelay?: boolean
  /** The level of the service's access lines (ServerOptions.accessLogLevel): `debug` behind a gateway in this process. */
  accessLogLevel?: 'info' | 'debug'
}

export interface RunningService<C = unknown> {
  app: App
  url: string
  ctx: ServiceContext<C>
  /** Starts publishing the outbox (a no-op when already started, or for a stateless service). */
  startRelay(): void
  /** Turns readiness 503 and asks clients to drop their connections, then waits `ms` while still serving (before `close()`). */
  drain(ms: number): Promise<void>
  close(): Promise<void>
}

export function schemaName (config: BaseConfig, service: string): string {
  return `${config.DB_SCHEMA_PREFIX}${service.replace(/-/g, '_')}`
}

/** Rules across variables; they read the raw environment so they are reported even when other variables are invalid. */
function crossFieldProblems (env: Env): string[] {
  const problems: string[] = []
  if (['true', '1'].includes(env.REQUIRE_EXTERNAL_BACKENDS ?? '')) {
    for (const key of ['DATABASE_URL', 'REDIS_URL', 'AMQP_URL'] as const) {
      if (!env[key]) problems.push(`${key} is required when REQUIRE_EXTERNAL_BACKENDS=true`)
    }
  }
  problems.push(...keyringProblems(env))
  return problems
}

/** The service's whole configuration; every problem, of single variables and across them, in one ConfigError. */
export function loadServiceConfig<S extends TObject> (definition: ServiceDefinition<S>, env: Env): BaseConfig & Static<S> {
  const schema = Type.Composite([BaseConfigSchema, definition.configSchema])
  const crossField = crossFieldProblems(env)
  try {
    const config = loadConfig(schema, env) as unknown as BaseConfig & Static<S>
    if (crossField.length > 0) throw new ConfigError(crossField)
    return config
  } catch (err) {
    if (err instanceof ConfigError && !err.problems.every(p => crossField.includes(p))) {
      throw new ConfigError([...err.problems, ...crossField])
    }
    throw err
  }
}

/** The service's own schema, opened and migrated (kit tables first, then the service's files); also used by the CLI. */
/** DB_POOL_SIZE, or the service's share of DB_CONNECTION_BUDGET over SERVICE_INSTANCES (docs/config.md). */
export function servicePoolSize (service: string, config: BaseConfig): number {
  return budgetedPoolSize({ service, budget: config.DB_CONNECTION_BUDGET, instances: config.SERVICE_INSTANCES, explicit: config.DB_POOL_SIZE })
}

export async function openMigratedDb (definition: ServiceDefinition<TObject>, config: BaseConfig, cluster?: PgliteCluster, poolSize = servicePoolSize(definition.name, config)): Promise<{ db: Db, applied: string[] }> {
  const db = await openDb({
    databaseUrl: config.DATABASE_URL,
    schema: schemaName(config, definition.name),
    poolSize,
    pgbouncer: config.DB_PGBOUNCER,
    dataDir: config.DATA_DIR,
    cluster
  })
  const sources: MigrationSource[] = [KIT_MIGRATIONS]
  if (definition.migrationsDir) sources.push({ scope: definition.name, dir: definition.migrationsDir })
  try {
    return { db, applied: await migrate(db, sources) }
  } catch (err) {
    await db.close().catch(() => {})
    throw err
  }
}

async function openServiceDb (definition: ServiceDefinition<TObject>, config: BaseConfig, shared: SharedBackends, log: Logger): Promise<Db> {
  const { db, applied } = await retryAtStartup(() => openMigratedDb(definition, config, shared.cluster), {
    what: 'opening and migrating the database', deadlineMs: config.STARTUP_BACKEND_WAIT_MS, log
  })
  if (applied.length > 0) log.info({ applied }, 'migrations applied')
  return db
}

function openServiceBus (config: BaseConfig, log: Logger): Promise<Bus> {
  return openBus({
    amqpUrl: config.AMQP_URL,
    prefix: config.BUS_PREFIX,
    prefetch: config.BUS_PREFETCH,
    maxAttempts: config.BUS_MAX_ATTEMPTS,
    retryBaseMs: config.BUS_RETRY_BASE_MS,
    log
  })
}

function serviceRetentionRules (config: BaseConfig) {
  return outboxRetentionRules({
    sentHours: config.OUTBOX_SENT_RETENTION_HOURS,
    abandonedHours: config.OUTBOX_ABANDONED_RETENTION_HOURS,
    processedHours: config.PROCESSED_EVENTS_RETENTION_HOURS
  })
}

function unsupported (service: string, what: string) {
  return () => { throw new Error(`the ${service} service is stateless: it has no ${what}`) }
}

function noDatabase (service: string): Db {
  const fail = unsupported(service, 'database')
  return { kind: 'postgres', schema: '', query: fail, exec: fail, tx: fail, ping: fail, close: async () => {} }
}

function noBus (service: string): Bus {
  const fail = unsupported(service, 'bus')
  return { kind: 'memory', publish: fail, subscribe: fail, deadLetters: fail, replayDeadLetters: fail, countDeadLetters: fail, isConnected: () => false, ping: fail, close: async () => {} }
}

/**
 * Opens what the service needs, migrates its schema, builds its app and
 * listens. A start that fails (its port taken, a backend away past the
 * start-up wait, a setup that throws) first closes what it had opened, as
 * `close()` would, then rethrows: a process that goes on (tests, the
 * all-in-one launcher) keeps no pool, timer or connection of it.
 */
export async function startService<S extends TObject> (definition: ServiceDefinition<S>, options: StartOptions): Promise<RunningService<Static<S>>> {
  const config = loadServiceConfig(definition, options.env)
  const log = (options.log ?? createLogger(config.LOG_LEVEL)).child({ service: definition.name, version: config.SERVICE_VERSION })
  const closePath = createClosePath(log)
  try {
    return await openAndListen(definition, options, config, log, closePath)
  } catch (err) {
    await closePath.close().catch((closeErr: unknown) => log.error({ err: closeErr }, 'closing after a failed start failed'))
    throw err
  }
}

/** The start itself: each part it opens is added to `closePath` as soon as it is open. */
async function openAndListen<S extends TObject> (definition: ServiceDefinition<S>, options: StartOptions, config: BaseConfig & Static<S>, log: Logger, closePath: ClosePath): Promise<RunningService<Static<S>>> {
  const tls = definition.tls?.(config)
  const keys = loadServiceKeys(options.env)
  const tracing = openServiceTracing(definition.name, config)
  // Closed last (backends close in reverse): the spans of the shutdown itself are exported too.
  closePath.backend(() => tracing.shutdown())
  const shared = options.shared ?? {}
  const subscriptions: Subscription[] = []

  const stateful = definition.stateless !== true
  const db: Db = stateful ? tracedDb(await openServiceDb(definition, config, shared, log), tracing) : noDatabase(definition.name)
  closePath.backend(() => db.close())

  // Redis is never required to serve: a service starts while it is down, and
  // counts per instance until it answers (the fallback), reporting `degraded`.
  const sharedCache = shared.cache ?? await openCache({ redisUrl: config.REDIS_URL, prefix: config.CACHE_PREFIX, log, background: true })
  if (!shared.cache) closePath.backend(() => sharedCache.close())
  const cache = tracedCache(withLocalFallback(sharedCache, log), tracing)
  closePath.backend(() => cache.close())
  const bus = tracedBus(shared.bus ?? (stateful
    ? await retryAtStartup(() => openServiceBus(config, log), { what: 'connecting to the broker', deadlineMs: config.STARTUP_BACKEND_WAIT_MS, log, retryAny: true })
    : noBus(definition.name)), tracing)
  if (!shared.bus) closePath.backend(() => bus.close())
  if (!shared.bus && config.BUS_EPHEMERAL && config.AMQP_URL && bus.kind === 'rabbitmq') {
    const topology = () => (bus as RabbitBus).topology()
    // After the bus closed: nothing consumes any more.
    closePath.lastly(() => deleteTopology(config.AMQP_URL!, topology()))
  }
  log.info(stateful ? { db: db.kind, cache: cache.kind, bus: bus.kind } : { cache: cache.kind }, 'backends')

  let relayStarted = false
  // Only the database is required: without the cache or the broker a service
  // still serves (local counters; events wait in the outbox), so they make it
  // `degraded`, never unready; a load balancer keeps it in rotation.
  const optional = (ping: () => Promise<void>) => async (): Promise<void | 'degraded'> => {
    try { await ping() } catch { return 'degraded' }
  }
  const readiness: ReadinessCheck[] = [{ name: 'cache', check: optional(() => cache.ping()) }]
  if (stateful) {
    readiness.push({ name: 'database', check: () => db.ping() }, { name: 'bus', check: optional(() => bus.ping()) })
  }
  const app = await createServer({
    name: definition.name,
    description: definition.description,
    log,
    bodyLimit: config.BODY_LIMIT_BYTES,
    readiness,
    metrics: config.METRICS_ENABLED,
    keys,
    ...definition.serverOptions,
    ...(options.accessLogLevel ? { accessLogLevel: options.accessLogLevel } : {}),
    ...(tls ? { tls } : {}),
    tracing
  })
  closePath.server(() => app.close())
  // Read at scrape time or counted as they happen, each service in its own registry (one per service in the all-in-one process).
  const relayMetrics = stateful ? registerOutboxMetrics({ registry: app.metricsRegistry, db, log }) : undefined
  const relay = createOutboxRelay({ db, bus, log, pollMs: config.OUTBOX_POLL_MS, ...(relayMetrics ? { metrics: relayMetrics } : {}) })
  closePath.worker(() => relay.stop())
  // With METRICS_ENABLED=false nothing serves the registry: no histogram observation per delivered message then.
  const serviceBus = stateful && config.METRICS_ENABLED ? measuredBus(bus, { registry: app.metricsRegistry, maxAttempts: config.BUS_MAX_ATTEMPTS, log }) : bus

  const now = options.now ?? (() => new Date())
  const source = `/services/${definition.name}`
  const clients = new Map<ServiceName, ReturnType<typeof createServiceClient>>()
  closePath.callers(() => { for (const client of clients.values()) client.close() })
  closePath.callers(() => Promise.allSettled(subscriptions.map(s => s.close())))
  const ctx: ServiceContext<Static<S>> = {
    name: definition.name,
    config,
    env: options.env,
    log,
    keys,
    db,
    cache,
    tracing,
    bus: serviceBus,
    now,
    events: {
      async emit (tx, type, data, subject, publishOptions) {
        const event = withTraceContext(createEvent(source, type, data, subject, now()), tracing)
        await enqueueEvent(tx, event, publishOptions)
        tx.onCommit(() => { if (relayStarted) relay.wake() })
        return event
      },
      async emitWith<R> (q: Queryable, statement: (outbox: string) => string, params: unknown[], specs: EventSpec[]) {
        const events = specs.map(s => withTraceContext(createEvent(source, s.type, s.data, s.subject, now()), tracing))
        const rows = await runWithOutbox<R>(q, statement, params, events.map((event, i) => ({ event, options: specs[i]!.options })))
        const wake = () => { if (relayStarted) relay.wake() }
        if ('onCommit' in q) (q as Tx).onCommit(wake)
        else wake()
        return { rows, events }
      }
    },
    client (service) {
      let client = clients.get(service)
      if (!client) {
        client = createServiceClient({
          baseUrls: serviceUrls(service, options.env),
          credential: { keyring: keys.internal, caller: definition.name, callee: service },
          timeoutMs: config.INTERNAL_TIMEOUT_MS,
          tracing,
          callee: service
        })
        clients.set(service, client)
      }
      return client
    },
    async consume ({ name, bindings, prepare, types, ...rest }, handler) {
      const consumer = `${definition.name}.${name}`
      const accepted = types ? new Set<string>(types) : undefined
      subscriptions.push(await serviceBus.subscribe({ ...rest, group: consumer, bindings: [...bindings] }, async (received) => {
        // Before anything else: an invalid payload is dead-lettered (PermanentError), never handled.
        const event = validEvent(received, accepted) as Parameters<typeof handler>[0]
        if (prepare && await wasProcessed(db, consumer, event.id)) return
        const prepared = prepare ? await prepare(event) : undefined
        await consumeOnce(db, consumer, event, bindToActive((tx: Tx) => handler(event, tx, prepared as never), tracing))
      }))
    },
    addReadinessCheck (check) { readiness.push(check) },
    onClose (fn) { closePath.hook(fn) }
  }

  await definition.setup(app, ctx)
  const retention = createRetentionJob({
    db,
    rules: stateful ? [...serviceRetentionRules(config), ...(definition.retention?.(config) ?? [])] : [],
    now,
    log,
    intervalMs: config.RETENTION_INTERVAL_MS,
    batchSize: config.RETENTION_BATCH_SIZE
  })
  closePath.worker(() => retention.stop())
  if (stateful) retention.start()
  await app.listen({ host: config.HOST, port: options.port ?? config.PORT })
  const startRelay = () => {
    if (!stateful || relayStarted) return
    relayStarted = true
    relay.start()
  }
  if (!options.deferRelay) startRelay()
  const address = app.server.address()
  const port = typeof address === 'object' && address ? address.port : config.PORT
  const url = `${tls ? 'https' : 'http'}://${config.HOST === '0.0.0.0' ? '127.0.0.1' : config.HOST}:${port}`

  return {
    app,
    url,
    ctx,
    startRelay,
    async drain (ms) {
      app.lifecycle.startDraining()
      log.info({ ms }, 'draining: readiness answers 503 while in-flight and late requests are served')
      await new Promise(resolve => setTimeout(resolve, ms))
    },
    close: closePath.close
  }
}
