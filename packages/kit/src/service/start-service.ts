import type { Static, TObject } from '@sinclair/typebox'
import type { Logger } from 'pino'
import type { BaseConfig } from '../config/index.ts'
import { createLogger } from '../log/index.ts'
import { measuredBus } from '../metrics/index.ts'
import { createServer } from '../http/index.ts'
import { loadServiceKeys } from '../keys/index.ts'
import { openServiceTracing } from '../tracing/index.ts'
import type { ServiceContext, ServiceDefinition } from './define-service.ts'
import type { RunningService, StartOptions } from './start-options.ts'
import { createClosePath } from './close-path.ts'
import type { ClosePath } from './close-path.ts'
import { loadServiceConfig } from './service-config.ts'
import { openBackends } from './open-backends.ts'
import { backendReadiness } from './readiness-checks.ts'
import { createServiceRelay } from './service-relay.ts'
import { createServiceClients } from './service-clients.ts'
import { createServiceConsumers } from './service-consumers.ts'
import { createEventEmitter } from './service-events.ts'
import { createServiceRetention } from './service-retention.ts'
import { listeningUrl } from './listening-url.ts'

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
  const stateful = definition.stateless !== true
  const backends = await openBackends(definition, config, options.shared ?? {}, tracing, log, closePath)
  const { db, cache, bus } = backends

  const readiness = backendReadiness(backends, stateful)
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
  const relay = createServiceRelay({ app, db, bus, config, log, stateful })
  closePath.worker(() => relay.stop())
  // With METRICS_ENABLED=false nothing serves the registry: no histogram observation per delivered message then.
  const serviceBus = stateful && config.METRICS_ENABLED ? measuredBus(bus, { registry: app.metricsRegistry, maxAttempts: config.BUS_MAX_ATTEMPTS, log }) : bus

  const now = options.now ?? (() => new Date())
  const clients = createServiceClients({ caller: definition.name, env: options.env, config, keys, tracing })
  closePath.callers(() => clients.close())
  const consumers = createServiceConsumers({ service: definition.name, bus: serviceBus, db, tracing })
  closePath.callers(() => consumers.close())
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
    events: createEventEmitter({ source: `/services/${definition.name}`, now, tracing, wake: () => relay.wake() }),
    client: clients.client,
    consume: consumers.consume,
    addReadinessCheck (check) { readiness.push(check) },
    onClose (fn) { closePath.hook(fn) }
  }

  await definition.setup(app, ctx)
  const retention = createServiceRetention(definition, { db, config, now, log })
  closePath.worker(() => retention.stop())
  if (stateful) retention.start()
  await app.listen({ host: config.HOST, port: options.port ?? config.PORT })
  if (!options.deferRelay) relay.start()

  return {
    app,
    url: listeningUrl(app, config, Boolean(tls)),
    ctx,
    startRelay: () => relay.start(),
    async drain (ms) {
      app.lifecycle.startDraining()
      log.info({ ms }, 'draining: readiness answers 503 while in-flight and late requests are served')
      await new Promise(resolve => setTimeout(resolve, ms))
    },
    close: closePath.close
  }
}
