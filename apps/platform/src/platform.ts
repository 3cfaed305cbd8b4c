import { join } from 'node:path'
import type { Logger } from 'pino'
import { BaseConfigSchema, loadConfig } from '@app/kit/config'
import type { BaseConfig, Env } from '@app/kit/config'
import { openPgliteCluster } from '@app/kit/db'
import { openCache } from '@app/kit/cache'
import { openBus } from '@app/kit/bus'
import { SERVICE_PORTS, serviceUrlVariable, startService } from '@app/kit/service'
import type { RunningService, SharedBackends } from '@app/kit/service'
import { freeLocalPorts } from './free-local-ports.ts'
import { persistedServiceSecret } from './service-secret.ts'
import { loadServices } from './services.ts'

export interface PlatformOptions {
  env: Env
  log: Logger
  /** `fixed`: the documented ports (gateway 8080 or PORT); `auto`: free ports (tests). */
  ports?: 'fixed' | 'auto'
  /** Backends opened by the caller (tests); closing the platform leaves them open. */
  shared?: SharedBackends
}

export interface Platform {
  gatewayUrl: string
  services: Map<string, RunningService>
  backends: { db: string, cache: string, bus: string }
  close(): Promise<void>
}

async function openSharedBackends (base: BaseConfig, log: Logger): Promise<SharedBackends> {
  const cluster = base.DATABASE_URL ? undefined : await openPgliteCluster(join(base.DATA_DIR, 'pglite'))
  return {
    ...(cluster ? { cluster } : {}),
    cache: await openCache({ redisUrl: base.REDIS_URL, prefix: base.CACHE_PREFIX }),
    bus: await openBus({
      amqpUrl: base.AMQP_URL,
      prefix: base.BUS_PREFIX,
      prefetch: base.BUS_PREFETCH,
      maxAttempts: base.BUS_MAX_ATTEMPTS,
      retryBaseMs: base.BUS_RETRY_BASE_MS,
      log
    })
  }
}

/** Every service in this process, sharing one embedded database (or pool target), cache and bus. */
export async function startPlatform ({ env: rawEnv, log, ports = 'fixed', shared: given }: PlatformOptions): Promise<Platform> {
  const base = loadConfig(BaseConfigSchema, rawEnv)
  // Services of one process trust each other; a secret is still required on their internal routes.
  const env: Env = { ...rawEnv, SERVICE_SECRET: base.SERVICE_SECRET ?? persistedServiceSecret(base.DATA_DIR) }
  // Two services cannot share one gRPC port: in one process, RPC goes over Connect through the gateway.
  if (env.GRPC_PORT) log.warn('GRPC_PORT is ignored when every service runs in one process; set it per service (SERVICE=auth)')
  delete env.GRPC_PORT
  const shared = given ?? await openSharedBackends(base, log)
  const services = new Map<string, RunningService>()
  const closeAll = async () => {
    for (const running of [...services.values()].reverse()) await running.close()
    if (given) return
    await shared.bus?.close()
    await shared.cache?.close()
    await shared.cluster?.close()
  }
  try {
    const all = await loadServices()
    const backendServices = all.filter(s => s.name !== 'gateway')
    // Every port is known before any service starts: a service's clients are made in its
    // setup, before the services it calls (started later) have told their address.
    const portOf = new Map<string, number>(backendServices.map(s => [s.name, SERVICE_PORTS[s.name]]))
    if (ports === 'auto') {
      const free = await freeLocalPorts(backendServices.length)
      backendServices.forEach((s, i) => portOf.set(s.name, free[i]!))
    }
    for (const definition of backendServices) env[serviceUrlVariable(definition.name)] = `http://127.0.0.1:${portOf.get(definition.name)}`
    // One after the other: on embedded PGlite the migrations serialise anyway, and logs stay readable.
    for (const definition of backendServices) {
      const port = portOf.get(definition.name)!
      const running = await startService(definition, { env, shared, log, port, deferRelay: true })
      services.set(definition.name, running)
      env[serviceUrlVariable(definition.name)] = running.url
    }
    const gateway = all.find(s => s.name === 'gateway')!
    const gatewayPort = ports === 'auto' ? 0 : rawEnv.PORT ? base.PORT : SERVICE_PORTS.gateway
    const running = await startService(gateway, { env, shared, log, port: gatewayPort })
    services.set('gateway', running)
    // Every consumer is subscribed now: events written during start-up reach them all.
    for (const service of services.values()) service.startRelay()
    return {
      gatewayUrl: running.url,
      services,
      backends: {
        db: base.DATABASE_URL ? 'PostgreSQL' : `PGlite in ${join(base.DATA_DIR, 'pglite')}`,
        cache: shared.cache?.kind === 'redis' ? 'Redis' : 'in-memory',
        bus: shared.bus?.kind === 'rabbitmq' ? 'RabbitMQ' : 'in-process'
      },
      close: closeAll
    }
  } catch (err) {
    await closeAll().catch(() => {})
    throw err
  }
}
