import { Counter, Histogram, Registry, collectDefaultMetrics } from 'prom-client'
import type { FastifyInstance, FastifyRequest } from 'fastify'

export { Registry }

/** A registry per service: the all-in-one process runs several services, each with its own /metrics. */
export function createMetricsRegistry (service: string): Registry {
  const registry = new Registry()
  registry.setDefaultLabels({ service })
  collectDefaultMetrics({ register: registry })
  return registry
}

/** Fastify's route pattern (`/api/v1/users/:id`); undefined when no route matched. */
export const routePattern = (request: FastifyRequest): string | undefined => request.routeOptions.url

export interface HttpMetricsOptions {
  /** Serve the registry at `/metrics` on this app (default true). */
  route?: boolean
  /** The route label: a pattern, never the raw URL (ids in paths would explode the label set). */
  routeLabel?: (request: FastifyRequest) => string | undefined
}

/** Request count and latency by method, route pattern and status, plus (unless told otherwise) the `/metrics` route. */
export function installHttpMetrics (app: FastifyInstance, registry: Registry, options: HttpMetricsOptions = {}): void {
  const labelNames = ['method', 'route', 'status'] as const
  const requests = new Counter({ name: 'http_requests_total', help: 'HTTP requests handled', labelNames, registers: [registry] })
  const duration = new Histogram({
    name: 'http_request_duration_seconds',
    help: 'HTTP request latency',
    labelNames,
    buckets: [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5],
    registers: [registry]
  })
  const routeLabel = options.routeLabel ?? routePattern
  app.addHook('onResponse', (request, reply, done) => {
    const labels = { method: request.method, route: routeLabel(request) ?? 'unmatched', status: String(reply.statusCode) }
    requests.inc(labels)
    duration.observe(labels, reply.elapsedTime / 1000)
    done()
  })
  if (options.route === false) return
  app.get('/metrics', { schema: { hide: true } }, async (_request, reply) => {
    reply.header('content-type', registry.contentType)
    return registry.metrics()
  })
}
