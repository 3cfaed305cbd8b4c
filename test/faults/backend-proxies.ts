import { startTcpProxy } from '@app/kit/testing'
import type { TcpProxy } from '@app/kit/testing'

export type Backend = 'postgres' | 'redis' | 'rabbitmq'

export interface BackendProxies {
  proxies: Record<Backend, TcpProxy>
  /** DATABASE_URL, REDIS_URL and AMQP_URL pointed at the proxies: what the services get. */
  env: Record<string, string>
  close(): Promise<void>
}

const DEFAULT_PORTS: Record<Backend, number> = { postgres: 5432, redis: 6379, rabbitmq: 5672 }
const VARIABLES: Record<Backend, string> = { postgres: 'DATABASE_URL', redis: 'REDIS_URL', rabbitmq: 'AMQP_URL' }

/** A TCP proxy in front of each real server, so that a test can cut one without touching the shared server. */
export async function startBackendProxies (): Promise<BackendProxies> {
  const proxies = {} as Record<Backend, TcpProxy>
  const env: Record<string, string> = {}
  for (const backend of Object.keys(VARIABLES) as Backend[]) {
    const real = new URL(process.env[VARIABLES[backend]]!)
    const proxy = await startTcpProxy(real.hostname, Number(real.port || DEFAULT_PORTS[backend]))
    proxies[backend] = proxy
    env[VARIABLES[backend]] = proxy.url(real.toString())
  }
  return {
    proxies,
    env,
    async close () {
      await Promise.all(Object.values(proxies).map(p => p.close()))
    }
  }
}
