import { createDiscoveredPool } from '@app/kit/client'
import type { ActiveHealthCheck, DiscoveredPool, InstanceSource, ResolveHost, Strategy } from '@app/kit/client'

export interface UpstreamPool extends DiscoveredPool {
  /** The pool's name: a service, or an extra upstream of GATEWAY_UPSTREAM_URLS. */
  service: string
}

export interface UpstreamPoolOptions {
  strategy: Strategy
  /** Wait before the first readiness probe of an instance marked down; it backs off while the instance stays down. */
  cooldownMs: number
  /** Probes every instance on a timer too; off when unset. */
  healthCheck?: ActiveHealthCheck | undefined
  /** How often DNS names among the sources are resolved again. */
  dnsRefreshMs: number
  resolve?: ResolveHost
  now?: () => number
  probe?: (url: string) => Promise<boolean>
  onChange?: (url: string, up: boolean) => void
  onResolveError?: (host: string, err: unknown) => void
}

/**
 * One upstream's instances: a connection failure seen by the proxy marks one
 * down, and a GET /readyz probe (after the cooldown, then backing off) takes
 * it back once it answers 200. With a health check, a timer probes them all;
 * with DNS sources, instances come and go as the answers change.
 */
export function createUpstreamPool (service: string, sources: readonly InstanceSource[], options: UpstreamPoolOptions): UpstreamPool {
  if (sources.length === 0) throw new Error(`no upstream URL for ${service}`)
  const { dnsRefreshMs, healthCheck, ...rest } = options
  return Object.assign(createDiscoveredPool({
    ...rest,
    ...(healthCheck ? { healthCheck } : {}),
    name: service,
    sources,
    refreshMs: dnsRefreshMs
  }), { service })
}

/** The first instance not marked down (or the first of all): for calls that need one stable choice, such as the docs. */
export function firstHealthy (pool: UpstreamPool): string {
  return pool.healthy()[0] ?? pool.urls[0] ?? pool.pick()
}
