import { context, ROOT_CONTEXT, SpanKind, SpanStatusCode, trace } from '@opentelemetry/api'
import type { Attributes, Context, Span, Tracer } from '@opentelemetry/api'
import { AsyncLocalStorageContextManager } from '@opentelemetry/context-async-hooks'
import { OTLPTraceExporter } from '@opentelemetry/exporter-trace-otlp-http'
import { resourceFromAttributes } from '@opentelemetry/resources'
import { BasicTracerProvider, BatchSpanProcessor, ParentBasedSampler, TraceIdRatioBasedSampler } from '@opentelemetry/sdk-trace-base'
import type { SpanExporter } from '@opentelemetry/sdk-trace-base'
import { ConfigError } from '../config/load-config.ts'
import { enableLogCorrelation } from '../log/correlation.ts'

export { SpanKind }
export type { Context, Span }

export interface TracingOptions {
  /** The `service.name` of every span (each service of the all-in-one process has its own). */
  service: string
  /** The `service.version` of every span. */
  version: string
  /** OTLP/HTTP endpoint (`http://collector:4318`; `/v1/traces` is appended); unset, tracing is off. */
  endpoint?: string | undefined
  /** Sent with every export (an API key of a hosted collector). */
  headers?: Record<string, string> | undefined
  /** Share of new traces recorded, 0 to 1; a request that arrives sampled or not keeps its caller's decision. */
  sampleRatio?: number | undefined
  /** How long finished spans wait to be exported together, in milliseconds. */
  scheduleDelayMs?: number | undefined
  /** Replaces the OTLP exporter (tests). */
  exporter?: SpanExporter | undefined
}

export interface SpanSpec {
  kind?: SpanKind
  attributes?: Attributes
  /** The parent; the active context by default. */
  parent?: Context
}

/**
 * A service's tracer. Off (no endpoint) it records nothing and installs
 * nothing: callers on a hot path check `enabled` and skip their wrapping.
 */
export interface Tracing {
  readonly enabled: boolean
  /** Runs `fn` in a new span (active inside it), ends it, and marks it failed when `fn` throws. */
  span<T>(name: string, spec: SpanSpec, fn: (span: Span) => Promise<T>): Promise<T>
  /** Starts a span the caller ends (one that outlives a function call, such as a server request). */
  startSpan(name: string, spec: SpanSpec): Span
  /** Exports what is finished. */
  flush(): Promise<void>
  /** Exports what is finished and stops. */
  shutdown(): Promise<void>
}

const NOOP_SPAN = trace.wrapSpanContext({ traceId: '0'.repeat(32), spanId: '0'.repeat(16), traceFlags: 0 })

export const tracingOff: Tracing = {
  enabled: false,
  span: (_name, _spec, fn) => fn(NOOP_SPAN),
  startSpan: () => NOOP_SPAN,
  flush: async () => {},
  shutdown: async () => {}
}

let contextManagerInstalled = false

/** AsyncLocalStorage carries the active span across awaits; installed once per process, by the first service that traces. */
function installContextManager (): void {
  if (contextManagerInstalled) return
  contextManagerInstalled = context.setGlobalContextManager(new AsyncLocalStorageContextManager().enable())
}

/** Marks a span failed with the error's class and message (no stack: it may quote inputs). */
export function recordFailure (span: Span, err: unknown): void {
  const message = err instanceof Error ? err.message : String(err)
  span.setStatus({ code: SpanStatusCode.ERROR, message })
  span.setAttribute('error.type', err instanceof Error ? (err as { code?: unknown }).code as string ?? err.name : 'Error')
}

/** Tracing for one service: its own provider and resource, so spans carry the right service name in the all-in-one process. */
export function openTracing (options: TracingOptions): Tracing {
  if (!options.endpoint && !options.exporter) return tracingOff
  installContextManager()
  // Now there can be an active context: log lines written inside one get its ids.
  enableLogCorrelation()
  const exporter = options.exporter ?? new OTLPTraceExporter({
    url: `${options.endpoint!.replace(/\/+$/, '')}/v1/traces`,
    ...(options.headers ? { headers: options.headers } : {})
  })
  const provider = new BasicTracerProvider({
    resource: resourceFromAttributes({ 'service.name': options.service, 'service.namespace': 'gatehouse', 'service.version': options.version }),
    sampler: new ParentBasedSampler({ root: new TraceIdRatioBasedSampler(options.sampleRatio ?? 1) }),
    spanProcessors: [new BatchSpanProcessor(exporter, { scheduledDelayMillis: options.scheduleDelayMs ?? 5000 })]
  })
  const tracer: Tracer = provider.getTracer('@app/kit', options.version)

  const startSpan = (name: string, spec: SpanSpec): Span =>
    tracer.startSpan(name, { kind: spec.kind ?? SpanKind.INTERNAL, ...(spec.attributes ? { attributes: spec.attributes } : {}) }, spec.parent ?? context.active())

  return {
    enabled: true,
    startSpan,
    async span (name, spec, fn) {
      const span = startSpan(name, spec)
      try {
        return await context.with(trace.setSpan(spec.parent ?? context.active(), span), () => fn(span))
      } catch (err) {
        recordFailure(span, err)
        throw err
      } finally {
        span.end()
      }
    },
    flush: () => provider.forceFlush(),
    shutdown: () => provider.shutdown()
  }
}

/**
 * `fn` bound to the context active now: work that a batch runs later (a
 * consumer's effect in a shared transaction) stays in its own trace.
 */
export function bindToActive<F extends (...args: never[]) => unknown> (fn: F, tracing: Tracing): F {
  return tracing.enabled ? context.bind(context.active(), fn) : fn
}

/** Runs `fn` with `ctx` active (a stored trace context resumed by later work). */
export function runInContext<T> (ctx: Context, fn: () => T): T {
  return context.with(ctx, fn)
}

/** `text` URL-decoded, or undefined when it is not valid URL encoding (a `%` not followed by two hex digits). */
function decoded (text: string): string | undefined {
  try {
    return decodeURIComponent(text)
  } catch {
    return undefined
  }
}

/**
 * Parses `OTEL_EXPORTER_OTLP_HEADERS` (`key=value,key2=value2`, values
 * URL-encoded). Throws a ConfigError naming the variable and the pair's
 * position when a pair is not valid URL encoding, never quoting it (a secret).
 */
export function parseOtlpHeaders (value: string | undefined): Record<string, string> | undefined {
  if (!value) return undefined
  const headers: Record<string, string> = {}
  const pairs = value.split(',')
  for (let i = 0; i < pairs.length; i++) {
    const pair = pairs[i]!
    const equals = pair.indexOf('=')
    if (equals <= 0) continue
    const name = decoded(pair.slice(0, equals).trim())
    const text = name === undefined ? undefined : decoded(pair.slice(equals + 1).trim())
    if (name === undefined || text === undefined) {
      // Neither the name nor the value is quoted: a mistyped pair may hold the secret on either side.
      throw new ConfigError([`OTEL_EXPORTER_OTLP_HEADERS: the ${name === undefined ? 'name' : 'value'} of pair ${i + 1} of ${pairs.length} is not valid URL encoding (a literal % is written %25)`])
    }
    headers[name] = text
  }
  return headers
}

export { ROOT_CONTEXT }
