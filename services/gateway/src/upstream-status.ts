import { Gauge } from 'prom-client'
import type { Registry } from 'prom-client'
import type { ReadinessCheck } from '@app/kit/http'
import type { UpstreamPool } from './upstream-pool.ts'

/**
 * `upstream:<service>` on `/readyz`: `degraded` while an instance is marked
 * down, never `down`. The gateway still serves every other service then, and a
 * failing readiness would take the whole entry point out of its load balancer.
 */
export function upstreamReadiness (pool: UpstreamPool): ReadinessCheck {
  return {
    name: `upstream:${pool.service}`,
    check: async () => pool.healthy().length < pool.urls.length ? 'degraded' : undefined
  }
}

/** Configured and healthy instances per upstream service, read at scrape time. */
export function registerUpstreamMetrics (registry: Registry, pools: UpstreamPool[]): void {
  // `service` is the registry's default label (this gateway), hence `upstream`.
  const labelNames = ['upstream'] as const
  registry.registerMetric(new Gauge({
    name: 'gateway_upstream_instances',
    help: 'Configured instances of each upstream service',
    labelNames,
    registers: [],
    collect () {
      for (const pool of pools) this.set({ upstream: pool.service }, pool.urls.length)
    }
  }))
  registry.registerMetric(new Gauge({
    name: 'gateway_upstream_healthy_instances',
    help: 'Instances of each upstream service not marked down after a connection failure',
    labelNames,
    registers: [],
    collect () {
      for (const pool of pools) this.set({ upstream: pool.service }, pool.healthy().length)
    }
  }))
}
