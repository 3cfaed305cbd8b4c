export { createMetricsRegistry, installHttpMetrics, Registry } from './http-metrics.ts'
