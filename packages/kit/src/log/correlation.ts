import { context, trace } from '@opentelemetry/api'
import pino from 'pino'
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
 * active context, tracing on) gets `requestId`, `traceId` and `spanId`. It is
 * installed only once tracing is on in the process (`enableLogCorrelation`):
 * before that there is no active context to read, and a line costs nothing
 * more. A line without fields allocates nothing (see `mergeCorrelation`).
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

const { mixinSym } = pino.symbols
// At run time with the others; missing from pino's type declarations.
const mixinMergeStrategySym = (pino.symbols as unknown as { mixinMergeStrategySym: symbol }).mixinMergeStrategySym

let correlating = false
/** Loggers made before tracing was on, given the mixin when it is (weakly held: a test makes many). */
const waiting = new Set<WeakRef<object>>()

function installMixin (logger: object): void {
  const fields = logger as Record<symbol, unknown>
  fields[mixinSym] = correlationFields
  fields[mixinMergeStrategySym] = mergeCorrelation
}

/**
 * Gives `logger` (a root pino logger; its children, made before or after,
 * inherit it) the correlation mixin now if tracing is on in the process,
 * otherwise as soon as it is.
 */
export function correlateWhenTracing<L extends object> (logger: L): L {
  if (correlating) {
    installMixin(logger)
  } else {
    if (waiting.size >= 256) for (const ref of waiting) if (ref.deref() === undefined) waiting.delete(ref)
    waiting.add(new WeakRef(logger))
  }
  return logger
}

/** Tracing is on in this process (the first service whose tracing opens calls it): every logger correlates from now on. */
export function enableLogCorrelation (): void {
  if (correlating) return
  correlating = true
  for (const ref of waiting) {
    const logger = ref.deref()
    if (logger) installMixin(logger)
  }
  waiting.clear()
}
