import { Counter, Gauge } from 'prom-client'
import type { Registry } from 'prom-client'
import type { ReadinessCheck } from '@app/kit/http'
import { boundChildren } from '@app/kit/metrics'
import type { CancelReason } from './upstream-exchange.ts'
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

/** Requests to an instance the gateway cancelled, by upstream and why; counted only when one is, nothing per request. */
export function upstreamCancellations (registry: Registry): (upstream: string, reason: CancelReason) => void {
  const cancelled = new Counter({
    name: 'gateway_upstream_requests_cancelled_total',
    help: 'Requests to an upstream instance the gateway gave up on before their answer was complete, by upstream and reason: client_closed (the client went away; the request to the instance is aborted, closing its connection) or deadline (GATEWAY_UPSTREAM_TIMEOUT_MS passed waiting for a connection or the answer\'s head; answered 504)',
    labelNames: ['upstream', 'reason'] as const,
    registers: [registry]
  })
  const by = boundChildren(cancelled)
  return (upstream, reason) => by(upstream, reason).inc()
}

/** Requests waiting for a connection to an instance or for its answer's head, per upstream, read at scrape time. */
export function registerWaitingMetric (registry: Registry, upstreams: () => Iterable<string>, waiting: () => Map<string, number>): void {
  registry.registerMetric(new Gauge({
    name: 'gateway_upstream_requests_waiting',
    help: 'Proxied requests waiting for a connection to an upstream instance or for the head of its answer, each within its GATEWAY_UPSTREAM_TIMEOUT_MS deadline',
    labelNames: ['upstream'] as const,
    registers: [],
    collect () {
      const counts = waiting()
      for (const upstream of upstreams()) this.set({ upstream }, counts.get(upstream) ?? 0)
    }
  }))
}
