import { injectTraceHeaders } from '@app/kit/tracing'
import { Type } from '@sinclair/typebox'
import type { FastifyRequest } from 'fastify'
import { connectionFailure, isClosingAnswer, isDrainingAnswer, notSent } from '@app/kit/client'
import { KitErrors } from '@app/kit/errors'
import type { App } from '@app/kit/http'
import { problemResponses } from '@app/kit/http'
import { withIdentity } from './identity-headers.ts'
import type { AssertionSettings } from './identity-headers.ts'
import type { OpenApiDocument } from './openapi-merge.ts'
import { unroutedRefusal } from './routing.ts'
import type { UpstreamPool } from './upstream-pool.ts'

export const OVERVIEW_PATH = '/api/v1/me/overview'

/** How many orders and notifications the overview lists; the services' own lists page on from there. */
const RECENT = 5

interface Part {
  name: 'user' | 'preferences' | 'orders' | 'notifications' | 'sessions'
  /** The pool the part's service is reached through. */
  upstream: string
  path: string
  description: string
}

const PARTS: Part[] = [
  { name: 'user', upstream: 'user', path: '/api/v1/users/me', description: 'as GET /api/v1/users/me' },
  { name: 'preferences', upstream: 'user', path: '/api/v1/users/me/preferences', description: 'as GET /api/v1/users/me/preferences' },
  { name: 'orders', upstream: 'order', path: `/api/v1/orders?limit=${RECENT}`, description: `the ${RECENT} most recent, as GET /api/v1/orders?limit=${RECENT} (\`nextCursor\` continues there)` },
  { name: 'notifications', upstream: 'notification', path: `/api/v1/notifications/me?limit=${RECENT}`, description: `the ${RECENT} most recent deliveries, as GET /api/v1/notifications/me?limit=${RECENT}` },
  { name: 'sessions', upstream: 'auth', path: '/api/v1/auth/sessions', description: 'the active sessions, as GET /api/v1/auth/sessions' }
]

export interface OverviewSettings {
  pools: ReadonlyMap<string, UpstreamPool>
  /** Each part's budget: connecting, the answer and its body. */
  timeoutMs: number
  assertions: AssertionSettings
  clientIpOf: (request: FastifyRequest) => string
}

interface PartError { error: { code: string } }

const partError = (code: string): PartError => ({ error: { code } })

/** The upstream's problem `code`, or one for its status. */
async function codeOf (res: Response): Promise<string> {
  const body = await res.json().catch(() => undefined) as { code?: unknown } | undefined
  if (typeof body?.code === 'string' && /^[a-z][a-z0-9_]{0,63}$/.test(body.code)) return body.code
  return res.status >= 500 ? 'unavailable' : 'upstream_error'
}

/**
 * One part from an instance of its service, as the proxy would send the
 * caller's request: the same identity, request id and client address. An
 * instance that never took the request (refused, or closing) is marked down
 * and the next one tried, within the one budget.
 */
async function fetchPart (part: Part, request: FastifyRequest, settings: OverviewSettings): Promise<unknown> {
  const pool = settings.pools.get(part.upstream)
  if (!pool) return partError('unavailable')
  const signal = AbortSignal.timeout(settings.timeoutMs)
  const tried = new Set<string>()
  for (;;) {
    let instance: string
    try {
      instance = pool.pick(tried)
    } catch {
      // No instance known at all (a DNS name that resolves to nothing): this part only.
      return partError('unavailable')
    }
    if (tried.has(instance)) return partError('unavailable')
    tried.add(instance)
    const headers = withIdentity({ accept: 'application/json' }, request, part.upstream, settings.clientIpOf(request), settings.assertions)
    // The aggregate's part calls are children of the gateway's server span (nothing when tracing is off).
    injectTraceHeaders(headers as Record<string, unknown>)
    const end = pool.begin(instance)
    try {
      const res = await fetch(`${instance}${part.path}`, { headers: headers as Record<string, string>, signal })
      if (isClosingAnswer(res)) {
        await res.body?.cancel()
        pool.markDown(instance)
        continue
      }
      if (isDrainingAnswer(res.headers)) pool.markDown(instance)
      else pool.markUp(instance)
      if (res.ok) return await res.json()
      return partError(await codeOf(res))
    } catch (err) {
      const failure = connectionFailure(err)
      if (failure === 'timed out') {
        request.log.warn({ upstream: part.upstream, part: part.name }, 'overview part timed out')
        return partError('upstream_timeout')
      }
      if (notSent(failure)) {
        pool.markDown(instance)
        continue
      }
      request.log.warn({ upstream: part.upstream, part: part.name, failure }, 'overview part failed')
      return partError('unavailable')
    } finally {
      end()
    }
  }
}

const PartErrorSchema = Type.Object({
  error: Type.Object({ code: Type.String({ description: 'the service\'s problem code, `upstream_timeout` past the part\'s budget, or `unavailable`' }) })
}, { description: 'this part could not be fetched; the others still are' })

const OverviewSchema = Type.Object(Object.fromEntries(PARTS.map(part =>
  [part.name, Type.Union([Type.Object({}, { additionalProperties: true, description: part.description }), PartErrorSchema])])))

/**
 * GET /api/v1/me/overview: the caller's profile, preferences, recent orders,
 * recent notifications and sessions in one answer, each fetched from its
 * service in parallel. A part whose service fails or outlasts its budget is
 * `{ error: { code } }`; the answer is still 200.
 */
export function registerOverview (app: App, settings: OverviewSettings): void {
  app.get(OVERVIEW_PATH, {
    schema: {
      tags: ['account'],
      summary: 'My account at a glance',
      description: 'Gathered by the gateway from the user, order, notification and auth services in parallel, each part within GATEWAY_AGGREGATE_TIMEOUT_MS. A part whose service fails is `{ "error": { "code" } }` and the rest still answers 200. Never cached.',
      security: [{ bearer: [] }],
      response: { 200: OverviewSchema, ...problemResponses(401, 429) }
    },
    // Each part goes out as its service wrote it: the schema documents, it does not filter.
    serializerCompiler: () => (data) => JSON.stringify(data)
  }, async (request, reply) => {
    const unrouted = unroutedRefusal(request)
    if (unrouted) throw unrouted
    if (!request.identity) throw KitErrors.unauthorized('A valid access token is required (Authorization: Bearer <accessToken>)')
    const parts = await Promise.all(PARTS.map(part => fetchPart(part, request, settings)))
    reply.header('cache-control', 'private, no-store')
    return Object.fromEntries(PARTS.map((part, i) => [part.name, parts[i] as object]))
  })
}

/** The overview's part of the merged OpenAPI (the gateway's other routes are the proxies' catch-alls, not API). */
export function overviewOpenApi (app: App): OpenApiDocument {
  const spec = app.swagger() as unknown as OpenApiDocument
  return { ...spec, paths: { [OVERVIEW_PATH]: spec.paths?.[OVERVIEW_PATH] } }
}
