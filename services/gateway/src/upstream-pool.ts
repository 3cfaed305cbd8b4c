import { createInstancePool } from '@app/kit/client'
import type { InstancePool } from '@app/kit/client'

export interface UpstreamPool extends InstancePool {
  service: string
}

export interface UpstreamPoolOptions {
  /** Wait before the first readiness probe of an instance marked down; it backs off while the instance stays down. */
  cooldownMs: number
  now?: () => number
  probe?: (url: string) => Promise<boolean>
  onChange?: (url: string, up: boolean) => void
}

/**
 * One service's instances: a connection failure seen by the proxy marks one
 * down, and a GET /readyz probe (after the cooldown, then backing off) takes
 * it back once it answers 200.
 */
export function createUpstreamPool (service: string, urls: string[], options: UpstreamPoolOptions): UpstreamPool {
  if (urls.length === 0) throw new Error(`no upstream URL for the ${service} service`)
  return Object.assign(createInstancePool({ urls, ...options }), { service })
}

/** The first instance not marked down (or the first of all): for calls that need one stable choice, such as the docs. */
export function firstHealthy (pool: UpstreamPool): string {
  return pool.healthy()[0] ?? pool.urls[0]!
}
