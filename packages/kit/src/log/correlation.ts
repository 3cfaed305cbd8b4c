import { context, trace } from '@opentelemetry/api'
import { requestIdOf } from '../tracing/trace-context.ts'

/** Set on a logger whose bindings already carry the request id and trace ids (a request's own logger). */
const CORRELATED = Symbol.for('gatehouse.log.correlated')

export function markCorrelated<L extends object> (logger: L): L {
  (logger as Record<symbol, unknown>)[CORRELATED] = true
  return logger
}

const NOTHING: Record<string, unknown> = Object.freeze({}) as Record<string, unknown>

/**
 * The pino mixin: a line logged inside a request or an event consumer (the
 * active context, tracing on) gets `requestId`, `traceId` and `spanId`. With
 * tracing off there is no active context and it adds nothing (and allocates
 * nothing: see `mergeCorrelation`).
 */
export function correlationFields (_merge: object, _level: number, logger?: object): Record<string, unknown> {
  if (logger && (logger as Record<symbol, unknown>)[CORRELATED]) return NOTHING
  const active = context.active()
  const span = trace.getSpanContext(active)
  const requestId = requestIdOf(active)
  if (!span && requestId === undefined) return NOTHING
  const fields: Record<string, unknown> = {}
  if (requestId !== undefined) fields.requestId = requestId
  if (span) {
    fields.traceId = span.traceId
    fields.spanId = span.spanId
  }
  return fields
}

/** pino's merge of the mixin's fields into a line's own; a line without any is left as it is, with no copy. */
export function mergeCorrelation (merge: object, fields: object): object {
  return fields === NOTHING ? merge : Object.assign(fields, merge)
}
