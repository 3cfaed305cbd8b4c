import { context, ROOT_CONTEXT, trace } from '@opentelemetry/api'
import type { Context, Span } from '@opentelemetry/api'
import type { FastifyBaseLogger, FastifyInstance, FastifyRequest } from 'fastify'
import type { IncomingMessage } from 'node:http'
import { markCorrelated } from '../log/correlation.ts'
import { redactUrl } from '../log/redact-url.ts'
import { contextFrom, withRequestId } from './trace-context.ts'
import { recordFailure, SpanKind } from './tracing.ts'
import type { Tracing } from './tracing.ts'

const SPAN = Symbol('gatehouse server span')
const CONTEXT = Symbol('gatehouse server context')

interface Traced { [SPAN]?: Span, [CONTEXT]?: Context }

type ChildLoggerFactory = (logger: FastifyBaseLogger, bindings: Record<string, unknown>, options: object, raw: IncomingMessage) => FastifyBaseLogger

/** Whether the server span of a request that came with a `traceparent` may continue it (asked only then). */
export type TraceContextTrust = (raw: IncomingMessage) => boolean

const trusts = new WeakMap<Tracing, TraceContextTrust>()

/**
 * Which callers' `traceparent` (and `tracestate`) the server spans of the
 * server traced with `tracing` continue; a request from anyone else starts a
 * trace of its own, sampled by the service's own ratio. Without it every
 * caller's is continued: a service behind the gateway, reached only by the
 * gateway and other services. The gateway, the public edge, restricts it to
 * its trusted proxies (GATEWAY_TRUST_TRACE_CONTEXT). Read per request, so it
 * may be set after the server was made, before it listens.
 */
export function trustTraceContextOf (tracing: Tracing, trust: TraceContextTrust): void {
  trusts.set(tracing, trust)
}

/** The span parent a request names, if its sender is trusted with it; nothing is looked at without a `traceparent`. */
function parentOf (tracing: Tracing, raw: IncomingMessage): Context {
  if (raw.headers.traceparent === undefined) return ROOT_CONTEXT
  const trust = trusts.get(tracing)
  return trust === undefined || trust(raw) ? contextFrom(raw.headers) : ROOT_CONTEXT
}

/**
 * Fastify's factory of a request's logger, tracing on: it starts the
 * request's server span (child of the caller's `traceparent`, when the caller
 * is trusted with it), so the request's logger is made once with the request
 * id and both trace ids.
 */
export function tracedChildLogger (tracing: Tracing): ChildLoggerFactory {
  return (logger, bindings, options, raw) => {
    const parent = parentOf(tracing, raw)
    const span = tracing.startSpan(raw.method ?? 'HTTP', {
      kind: SpanKind.SERVER,
      parent,
      attributes: { 'http.request.method': raw.method ?? '', 'url.path': redactUrl(raw.url ?? '').split('?')[0]! }
    })
    const requestId = String(bindings.requestId ?? '')
    const traced = raw as Traced
    traced[SPAN] = span
    traced[CONTEXT] = withRequestId(trace.setSpan(parent, span), requestId)
    const { traceId, spanId } = span.spanContext()
    return markCorrelated(logger.child({ ...bindings, traceId, spanId }, options))
  }
}

function endSpan (request: FastifyRequest, status: number | undefined, route: string | undefined, failure?: unknown): void {
  const traced = request.raw as Traced
  const span = traced[SPAN]
  if (!span) return
  traced[SPAN] = undefined
  span.updateName(`${request.method} ${route ?? 'unmatched'}`)
  if (route) span.setAttribute('http.route', route)
  if (status !== undefined) {
    span.setAttribute('http.response.status_code', status)
    if (status >= 500) recordFailure(span, failure ?? new Error(`HTTP ${status}`))
  } else {
    recordFailure(span, failure ?? new Error('request aborted'))
  }
  span.end()
}

/**
 * Runs each request's handler inside its server span (`preHandler`, after
 * the body is read: the body's stream events would lose the context), and
 * ends the span with the route and status once the response is sent.
 */
export function installServerSpans (app: FastifyInstance, routeLabel: (request: FastifyRequest) => string | undefined): void {
  app.addHook('preHandler', (request, _reply, done) => {
    const ctx = (request.raw as Traced)[CONTEXT]
    if (ctx) context.with(ctx, done)
    else done()
  })
  app.addHook('onResponse', (request, reply, done) => {
    endSpan(request, reply.statusCode, routeLabel(request))
    done()
  })
  app.addHook('onRequestAbort', (request, done) => {
    endSpan(request, undefined, routeLabel(request))
    done()
  })
}
