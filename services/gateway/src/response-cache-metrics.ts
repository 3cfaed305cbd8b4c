import { Counter, Gauge } from 'prom-client'
import type { Registry } from 'prom-client'
import type { ResponseCache } from './response-cache.ts'

/** Lookups by result, and what the response cache holds, read at scrape time. */
export function registerResponseCacheMetrics (registry: Registry, cache: ResponseCache): void {
  registry.registerMetric(new Counter({
    name: 'gateway_response_cache_lookups_total',
    help: 'GET and HEAD requests the response cache answered (hit) or sent on (miss)',
    labelNames: ['result'] as const,
    registers: [],
    collect () {
      this.reset()
      this.inc({ result: 'hit' }, cache.counts.hit)
      this.inc({ result: 'miss' }, cache.counts.miss)
    }
  }))
  registry.registerMetric(new Gauge({
    name: 'gateway_response_cache_entries',
    help: 'Answers the response cache holds',
    registers: [],
    collect () { this.set(cache.size) }
  }))
  registry.registerMetric(new Gauge({
    name: 'gateway_response_cache_bytes',
    help: 'Bytes the response cache holds (bodies and headers)',
    registers: [],
    collect () { this.set(cache.bytes) }
  }))
}
