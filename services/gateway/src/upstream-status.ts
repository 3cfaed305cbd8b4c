import { Gauge } from 'prom-client'
import type { Registry } from 'prom-client'
import type { ReadinessCheck } from '@app/kit/http'
import type { UpstreamPool } from './upstream-pool.ts'

/**
 * `upstream:<name>` on `/readyz`: `degraded` while an instance is out of the
 * rotation (or none is known), never `down`. The gateway still serves every
 * other upstream then, and a failing readiness would take the whole entry
 * point out of its load balancer.
 */
export function upstreamReadiness (pool: UpstreamPool): ReadinessCheck {
  return {
    name: `upstream:${pool.service}`,
    check: async () => pool.urls.length === 0 || pool.healthy().length < pool.urls.length ? 'degraded' : undefined
  }
}

/** Known and in-rotation instances per upstream, read at scrape time. */
export function registerUpstreamMetrics (registry: Registry, pools: UpstreamPool[]): void {
  // `service` is the registry's default label (this gateway), hence `upstream`.
  const labelNames = ['upstream'] as const
  registry.registerMetric(new Gauge({
    name: 'gateway_upstream_instances',
    help: 'Instances of each upstream, configured or discovered through DNS',
    labelNames,
    registers: [],
    collect () {
      for (const pool of pools) this.set({ upstream: pool.service }, pool.urls.length)
    }
  }))
  registry.registerMetric(new Gauge({
    name: 'gateway_upstream_healthy_instances',
    help: 'Instances of each upstream in the rotation: not marked down after a connection failure, nor taken out by health checks',
    labelNames,
    registers: [],
    collect () {
      for (const pool of pools) this.set({ upstream: pool.service }, pool.healthy().length)
    }
  }))
}
