import type { BaseConfig } from '../config/base-config.ts'
import { openTracing, parseOtlpHeaders } from './tracing.ts'
import type { Tracing } from './tracing.ts'

/** A service's tracing from its settings: off unless OTEL_EXPORTER_OTLP_ENDPOINT is set (docs/config.md). */
export function openServiceTracing (service: string, config: BaseConfig): Tracing {
  return openTracing({
    service,
    version: config.SERVICE_VERSION,
    endpoint: config.OTEL_EXPORTER_OTLP_ENDPOINT,
    headers: parseOtlpHeaders(config.OTEL_EXPORTER_OTLP_HEADERS),
    sampleRatio: config.OTEL_TRACES_SAMPLER_ARG,
    scheduleDelayMs: config.OTEL_BSP_SCHEDULE_DELAY
  })
}
