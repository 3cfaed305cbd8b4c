import { Type } from '@sinclair/typebox'
import { connectionFailure, withoutUserinfo } from '@app/kit/client'
import { KitErrors } from '@app/kit/errors'
import type { App } from '@app/kit/http'
import { problemResponses } from '@app/kit/http'
import { combineNumbers, numbersOf } from './admin-health-metrics.ts'
import type { ServiceNumbers } from './admin-health-metrics.ts'
import type { OpenApiDocument } from './openapi-merge.ts'
import { unroutedRefusal } from './routing.ts'
import type { UpstreamPool } from './upstream-pool.ts'

export const ADMIN_HEALTH_PATH = '/api/v1/admin/health'

type Status = 'ok' | 'degraded' | 'down'

type Failure = 'unreachable' | 'timeout' | 'draining' | 'bad_answer'

interface Readiness { status: Status, checks: Record<string, Status>, error: Failure | null }

interface InstanceHealth extends Readiness { url: string, millis: number }

export interface ServiceHealth {
  name: string
  status: Status
  checks: Record<string, Status>
  instances: InstanceHealth[]
  metrics: ServiceNumbers | null
}

export interface AdminHealthSettings {
  /** The services to ask, each by its pool. */
  pools: ReadonlyMap<string, UpstreamPool>
  services: readonly string[]
  /** How long one instance's /readyz and /metrics may take. */
  timeoutMs: number
  now: () => Date
}

const RANK: Record<Status, number> = { ok: 0, degraded: 1, down: 2 }
const worst = (list: Status[]): Status => list.reduce<Status>((a, b) => RANK[b] > RANK[a] ? b : a, 'ok')
const asStatus = (value: unknown): Status => value === 'ok' || value === 'degraded' ? value : 'down'

/**
 * A /readyz answer as the view shows it: the service's own status and checks
 * (kit services answer `{ status, checks }`, 200 or 503), else its HTTP status
 * alone; `draining` is down, with that reason.
 */
function readinessOf (httpStatus: number, body: unknown): Readiness {
  const answer = (typeof body === 'object' && body !== null ? body : {}) as { status?: unknown, checks?: unknown }
  const checks = typeof answer.checks === 'object' && answer.checks !== null
    ? Object.fromEntries(Object.entries(answer.checks).map(([name, value]) => [name, asStatus(value)]))
    : {}
  if (answer.status === 'draining') return { status: 'down', checks, error: 'draining' }
  if (typeof answer.status === 'string') return { status: asStatus(answer.status), checks, error: null }
  return httpStatus === 200 ? { status: 'ok', checks, error: null } : { status: 'down', checks, error: 'bad_answer' }
}

const PROMETHEUS_TEXT = /^(text\/plain|application\/openmetrics-text)/

const failureCode = (err: unknown): Failure => connectionFailure(err) === 'timed out' ? 'timeout' : 'unreachable'

/** One instance's readiness and numbers, each within the budget; a failure is part of the answer, never thrown. */
async function probeInstance (url: string, timeoutMs: number): Promise<{ health: InstanceHealth, numbers: ServiceNumbers | undefined }> {
  const started = performance.now()
  const signal = AbortSignal.timeout(timeoutMs)
  const [ready, metrics] = await Promise.all([
    fetch(`${url}/readyz`, { signal, headers: { accept: 'application/json' } })
      .then(async res => readinessOf(res.status, await res.json().catch(() => undefined)))
      .catch((err: unknown): Readiness => ({ status: 'down', checks: {}, error: failureCode(err) })),
    fetch(`${url}/metrics`, { signal })
      .then(async res => res.ok && PROMETHEUS_TEXT.test(res.headers.get('content-type') ?? '') ? numbersOf(await res.text()) : (await res.body?.cancel(), undefined))
      .catch(() => undefined)
  ])
  return { health: { url: withoutUserinfo(url), ...ready, millis: Math.round(performance.now() - started) }, numbers: metrics }
}

/** A service over its instances: down when none is ready, degraded when some are not (or say so themselves). */
export function serviceHealth (name: string, probes: Array<{ health: InstanceHealth, numbers: ServiceNumbers | undefined }>): ServiceHealth {
  const instances = probes.map(p => p.health)
  const statuses = instances.map(i => i.status)
  const status: Status = instances.length === 0 || statuses.every(s => s === 'down') ? 'down' : worst(statuses) === 'ok' ? 'ok' : 'degraded'
  const checks: Record<string, Status> = {}
  for (const instance of instances) {
    for (const [check, value] of Object.entries(instance.checks)) checks[check] = worst([checks[check] ?? 'ok', value])
  }
  return { name, status, checks, instances, metrics: combineNumbers(probes.flatMap(p => p.numbers ? [p.numbers] : [])) }
}

const StatusSchema = Type.Union([Type.Literal('ok'), Type.Literal('degraded'), Type.Literal('down')])
const Count = Type.Integer({ minimum: 0 })
const NumbersSchema = Type.Object({
  requests: Type.Number({ description: 'requests answered since the instances started (operations endpoints left out)' }),
  errors: Type.Number({ description: 'of those, answered with a 5xx status' }),
  outboxBacklog: Type.Union([Type.Number(), Type.Null()], { description: 'events waiting in the outbox; null for a stateless service' }),
  outboxAbandoned: Type.Union([Type.Number(), Type.Null()], { description: 'outbox events given up on' }),
  deadLetters: Type.Union([Type.Number(), Type.Null()], { description: 'bus messages in the dead-letter queues; null without consumers' }),
  deliveries: Type.Union([Type.Object({ sent: Type.Number(), retry: Type.Number(), failed: Type.Number() }), Type.Null()], {
    description: 'send attempts by outcome since start (notification only): sent, retry (failed, tried again), failed (dead)'
  })
})
const AdminHealthSchema = Type.Object({
  status: Type.Union([StatusSchema], { description: 'the worst of the services' }),
  checkedAt: Type.String({ format: 'date-time' }),
  services: Type.Array(Type.Object({
    name: Type.String(),
    status: Type.Union([StatusSchema], { description: 'down when no instance is ready, degraded when some are not or one says so' }),
    checks: Type.Record(Type.String(), StatusSchema, { description: 'each readiness check (database, cache, bus, ...), the worst across instances' }),
    instances: Type.Array(Type.Object({
      url: Type.String(),
      status: StatusSchema,
      checks: Type.Record(Type.String(), StatusSchema),
      error: Type.Union([Type.Literal('unreachable'), Type.Literal('timeout'), Type.Literal('draining'), Type.Literal('bad_answer'), Type.Null()], {
        description: 'why it is down when it could not say so itself: no connection, no answer in time, shutting down, not a readiness answer'
      }),
      millis: Count
    })),
    metrics: Type.Union([NumbersSchema, Type.Null()], { description: 'null when no instance served /metrics (down, or METRICS_ENABLED=false)' })
  }))
})

/**
 * GET /api/v1/admin/health (admin): every service's /readyz and key numbers
 * of its /metrics, all instances asked in parallel within the budget, and the
 * gateway's own. A service that is down is shown as down; the answer is 200.
 */
export function registerAdminHealth (app: App, settings: AdminHealthSettings): void {
  const own = async () => {
    const ready = await app.inject({ method: 'GET', url: '/readyz' })
    const health: InstanceHealth = { url: 'self', ...readinessOf(ready.statusCode, ready.json()), millis: 0 }
    return serviceHealth('gateway', [{ health, numbers: numbersOf(await app.metricsRegistry.metrics()) }])
  }
  app.get(ADMIN_HEALTH_PATH, {
    schema: {
      tags: ['admin'],
      summary: 'Every service\'s readiness and key numbers (admin)',
      description: 'The gateway asks each instance of every service for `/readyz` and `/metrics` in parallel, each within GATEWAY_ADMIN_HEALTH_TIMEOUT_MS: readiness with its checks, and requests, 5xx errors, outbox backlog, dead letters and deliveries by outcome. A service that does not answer is `down` and the rest still answers 200. Never cached.',
      security: [{ bearer: [] }],
      response: { 200: AdminHealthSchema, ...problemResponses(401, 403, 429) }
    }
  }, async (request, reply) => {
    const unrouted = unroutedRefusal(request)
    if (unrouted) throw unrouted
    if (!request.identity) throw KitErrors.unauthorized('A valid access token is required (Authorization: Bearer <accessToken>)')
    if (!request.identity.roles.includes('admin')) throw KitErrors.forbidden('This route is for administrators')
    const services = await Promise.all([
      own(),
      ...settings.services.map(async name => {
        const urls = settings.pools.get(name)?.urls ?? []
        return serviceHealth(name, await Promise.all(urls.map(url => probeInstance(url, settings.timeoutMs))))
      })
    ])
    reply.header('cache-control', 'no-store')
    return { status: worst(services.map(s => s.status)), checkedAt: settings.now().toISOString(), services }
  })
}

/** The gateway's own part of the merged OpenAPI with this route added. */
export function withAdminHealth (app: App, doc: OpenApiDocument): OpenApiDocument {
  const spec = app.swagger() as unknown as OpenApiDocument
  return { ...doc, paths: { ...doc.paths, [ADMIN_HEALTH_PATH]: spec.paths?.[ADMIN_HEALTH_PATH] } }
}
