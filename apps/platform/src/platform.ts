import { join } from 'node:path'
import type { TObject } from '@sinclair/typebox'
import type { Logger } from 'pino'
import { BaseConfigSchema, loadConfig } from '@app/kit/config'
import type { BaseConfig, Env } from '@app/kit/config'
import { openPgliteCluster } from '@app/kit/db'
import { openCache } from '@app/kit/cache'
import { openBus } from '@app/kit/bus'
import { SERVICE_PORTS, serviceUrlVariable, startService } from '@app/kit/service'
import type { RunningService, ServiceDefinition, SharedBackends, StartOptions } from '@app/kit/service'
import { freeLocalPorts } from './free-local-ports.ts'
import { holdPort, internalPortTaken, isPortFree } from './port-check.ts'
import { publicUrlOf, withPublicUrl } from './public-url.ts'
import { persistedServiceSecret } from './service-secret.ts'
import { loadServices, SERVICE_NAMES } from './services.ts'

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
  /** Where people reach it (PUBLIC_URL, or the gateway on this machine): every link in a mail starts with it. */
  publicUrl: string
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

/**
 * Every service's port, known before anything starts (a service's clients are made in
 * its setup, before the services it calls have told their address; the links in mails
 * need the gateway's). `auto` (tests) and PORT=0: free ports. Otherwise the gateway's
 * (PORT or 8080) must be free, or nothing starts (it is held until the gateway listens); a documented internal port (8081...)
 * that another process holds is swapped for a free one, as only the gateway's port is
 * anyone's business.
 */
async function choosePorts (names: string[], host: string, ports: 'fixed' | 'auto', requested: number, log: Logger) {
  const portOf = new Map<string, number>(names.map(name => [name, SERVICE_PORTS[name as keyof typeof SERVICE_PORTS]]))
  // Held from now until the gateway listens: nothing else can take it while the services start.
  const gateway = await holdPort(host, ports === 'auto' ? 0 : requested)
  try {
    const taken = ports === 'auto' ? names : (await Promise.all(names.map(async name => await isPortFree(host, portOf.get(name)!) ? [] : [name]))).flat()
    const free = await freeLocalPorts(taken.length, host)
    taken.forEach((name, i) => {
      if (ports === 'fixed') log.warn(`port ${portOf.get(name)} is in use; the ${name} service takes port ${free[i]} inside this process instead`)
      portOf.set(name, free[i]!)
    })
    return { gateway, portOf }
  } catch (err) {
    await gateway.release()
    throw err
  }
}

/**
 * Starts one internal service on the port chosen for it. That port taken by
 * another program since choosePorts checked it is one line naming the service
 * and the port: PORT moves only the gateway, so PORT's line would mislead.
 */
export async function startInternalService (definition: ServiceDefinition<TObject>, options: StartOptions & { port: number }): Promise<RunningService> {
  try {
    return await startService(definition, options)
  } catch (err) {
    throw (err as NodeJS.ErrnoException).code === 'EADDRINUSE' ? internalPortTaken(definition.name, options.port) : err
  }
}

/** Every service in this process, sharing one embedded database (or pool target), cache and bus. */
export async function startPlatform ({ env: rawEnv, log, ports = 'fixed', shared: given }: PlatformOptions): Promise<Platform> {
  const base = loadConfig(BaseConfigSchema, rawEnv)
  // A PUBLIC_URL the console cannot work under is one line before anything else (withPublicUrl below derives from it).
  publicUrlOf(rawEnv, 0)
  // The ports first, before anything is opened: the gateway's taken is one clear line, and nothing started.
  const backendNames = SERVICE_NAMES.filter(name => name !== 'gateway')
  const { gateway: held, portOf } = await choosePorts(backendNames, base.HOST, ports, rawEnv.PORT ? base.PORT : SERVICE_PORTS.gateway, log)
  const gatewayPort = held.port
  const services = new Map<string, RunningService>()
  let shared = given
  // From here on the gateway's port is held: whatever throws (PUBLIC_URL refused, DATA_DIR unwritable, a backend down) releases it.
  const closeAll = async () => {
    await held.release()
    for (const running of [...services.values()].reverse()) await running.close()
    if (given) return
    await shared?.bus?.close()
    await shared?.cache?.close()
    await shared?.cluster?.close()
  }
  try {
    // Services of one process trust each other; a secret is still required on their internal routes.
    // Every link a service sends defaults to the public address (PUBLIC_URL, or this gateway).
    const env: Env = { ...withPublicUrl(rawEnv, gatewayPort), SERVICE_SECRET: base.SERVICE_SECRET ?? persistedServiceSecret(base.DATA_DIR) }
    // Two services cannot share a gRPC port: in one process, RPC goes over Connect through the gateway.
    if (env.GRPC_PORT) log.warn('GRPC_PORT is ignored when every service runs in one process; set it per service (SERVICE=auth)')
    delete env.GRPC_PORT
    shared ??= await openSharedBackends(base, log)
    const all = await loadServices()
    const backendServices = all.filter(s => s.name !== 'gateway')
    for (const definition of backendServices) env[serviceUrlVariable(definition.name)] = `http://127.0.0.1:${portOf.get(definition.name)}`
    // One after the other: on embedded PGlite the migrations serialise anyway, and logs stay readable.
    for (const definition of backendServices) {
      const port = portOf.get(definition.name)!
      // The gateway logs the one access line of each request; the service's own is a debug line.
      const running = await startInternalService(definition, { env, shared, log, port, deferRelay: true, accessLogLevel: 'debug' })
      services.set(definition.name, running)
      env[serviceUrlVariable(definition.name)] = running.url
    }
    const gateway = all.find(s => s.name === 'gateway')!
    await held.release()
    const running = await startService(gateway, { env, shared, log, port: gatewayPort })
    services.set('gateway', running)
    // Every consumer is subscribed now: events written during start-up reach them all.
    for (const service of services.values()) service.startRelay()
    return {
      gatewayUrl: running.url,
      publicUrl: env.PUBLIC_URL!,
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
