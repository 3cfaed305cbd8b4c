import { context, createContextKey, isSpanContextValid, ROOT_CONTEXT, trace } from '@opentelemetry/api'
import type { Context, TextMapGetter, TextMapSetter } from '@opentelemetry/api'
import { W3CTraceContextPropagator } from '@opentelemetry/core'

/** W3C trace context (`traceparent`, `tracestate`), as headers between services and as CloudEvents extension attributes. */
export interface TraceHeaders {
  traceparent?: string
  tracestate?: string
}

const propagator = new W3CTraceContextPropagator()
const REQUEST_ID = createContextKey('gatehouse request id')

type Carrier = Record<string, string | string[] | undefined>

const getter: TextMapGetter<Carrier> = {
  keys: carrier => Object.keys(carrier),
  get: (carrier, key) => carrier[key]
}

const setter: TextMapSetter<Record<string, unknown>> = {
  set: (carrier, key, value) => { carrier[key] = value }
}

/** The context a `traceparent` (header, event attribute, stored row) names as parent; the root context without one. */
export function contextFrom (carrier: TraceHeaders | Carrier | undefined | null): Context {
  if (!carrier || typeof carrier.traceparent !== 'string') return ROOT_CONTEXT
  return propagator.extract(ROOT_CONTEXT, carrier as Carrier, getter)
}

/** Sets `traceparent` (and `tracestate`) on `carrier` for the span active in `ctx`; leaves it alone without one. */
export function injectTraceHeaders<C extends Record<string, unknown>> (carrier: C, ctx: Context = context.active()): C {
  propagator.inject(ctx, carrier, setter)
  return carrier
}

/** The trace context of the active span, undefined outside any (tracing off costs one lookup). */
export function activeTraceHeaders (ctx: Context = context.active()): TraceHeaders | undefined {
  const span = trace.getSpanContext(ctx)
  if (!span || !isSpanContextValid(span)) return undefined
  return injectTraceHeaders({}, ctx) as TraceHeaders
}

/** `ctx` carrying the id of the request it serves, for log lines written inside it. */
export function withRequestId (ctx: Context, requestId: string): Context {
  return ctx.setValue(REQUEST_ID, requestId)
}

export function requestIdOf (ctx: Context): string | undefined {
  return ctx.getValue(REQUEST_ID) as string | undefined
}
