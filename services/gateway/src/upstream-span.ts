import type { IncomingHttpHeaders } from 'node:http'
import { injectTraceHeaders, recordFailure, SpanKind } from '@app/kit/tracing'
import type { Tracing } from '@app/kit/tracing'

interface Sent { sent: { statusCode: number } }
type Outcome = Sent | { failed: unknown }

/**
 * One attempt at an instance as a client span; the instance gets this span
 * as its parent in `traceparent` (a client's own, when the client is trusted
 * with it, is its grandparent, through the gateway's server span).
 */
export function inUpstreamSpan<O extends Outcome> (tracing: Tracing, method: string, service: string, headers: IncomingHttpHeaders, send: () => Promise<O>): Promise<O> {
  return tracing.span(`${method} ${service}`, {
    kind: SpanKind.CLIENT,
    attributes: { 'http.request.method': method, 'peer.service': service }
  }, async (span) => {
    injectTraceHeaders(headers as Record<string, unknown>)
    const outcome = await send()
    if ('sent' in outcome) {
      span.setAttribute('http.response.status_code', outcome.sent.statusCode)
      if (outcome.sent.statusCode >= 500) recordFailure(span, new Error(`HTTP ${outcome.sent.statusCode}`))
    } else {
      recordFailure(span, outcome.failed)
    }
    return outcome
  })
}
