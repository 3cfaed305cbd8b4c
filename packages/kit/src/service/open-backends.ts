import type { TObject } from '@sinclair/typebox'
import type { Logger } from 'pino'
import type { BaseConfig } from '../config/index.ts'
import type { Db } from '../db/index.ts'
import { openCache, withLocalFallback } from '../cache/index.ts'
import type { FallbackCache } from '../cache/index.ts'
import { openBus } from '../bus/index.ts'
import type { Bus } from '../bus/index.ts'
import { deleteTopology } from '../bus/rabbit-topology.ts'
import type { RabbitBus } from '../bus/bus.rabbitmq.ts'
import { tracedBus, tracedCache, tracedDb } from '../tracing/index.ts'
import type { Tracing } from '../tracing/index.ts'
import type { ServiceDefinition } from './define-service.ts'
import type { SharedBackends } from './start-options.ts'
import type { ClosePath } from './close-path.ts'
import { openServiceDb } from './service-db.ts'
import { noBus, noDatabase } from './stateless-backends.ts'
import { retryAtStartup } from './startup-retry.ts'

export interface ServiceBackends {
  db: Db
  cache: FallbackCache
  bus: Bus
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

/**
 * The service's database, cache and bus, traced; the shared ones where the
 * launcher gives them. Each is added to `closePath` as soon as it is open;
 * the shared ones are the launcher's to close. A stateless service gets a
 * database and a bus that throw when used.
 */
export async function openBackends (definition: ServiceDefinition<TObject>, config: BaseConfig, shared: SharedBackends, tracing: Tracing, log: Logger, closePath: ClosePath): Promise<ServiceBackends> {
  const stateful = definition.stateless !== true
  const db: Db = stateful ? tracedDb(await openServiceDb(definition, config, shared.cluster, log), tracing) : noDatabase(definition.name)
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
  return { db, cache, bus }
}
