import type { IncomingHttpHeaders, OutgoingHttpHeaders } from 'node:http'

// Connection-specific (RFC 9110 §7.6.1): they describe one hop, never the next.
// `expect` too: the gateway answered any 100-continue itself and holds the body.
const HOP_BY_HOP = new Set(['connection', 'keep-alive', 'proxy-connection', 'transfer-encoding', 'upgrade', 'te', 'trailer', 'http2-settings', 'expect', 'host', 'content-length'])

/** The header names a Connection header lists, which are hop-by-hop as well. */
function connectionOptions (value: string | string[] | undefined): Set<string> | undefined {
  if (value === undefined) return undefined
  const names = new Set<string>()
  for (const token of String(value).toLowerCase().split(',')) {
    const name = token.trim()
    if (name) names.add(name)
  }
  return names
}

// W3C trace context: left out when the client is not trusted with it (GATEWAY_TRUST_TRACE_CONTEXT).
const TRACE_CONTEXT = new Set(['traceparent', 'tracestate'])

/**
 * The client's headers as an upstream receives them: without HTTP/2
 * pseudo-headers and connection-specific headers (nor those a Connection header
 * names), nor `traceparent` and `tracestate` when `dropTraceContext`, with the
 * instance as `host` and the length of the body actually sent.
 */
export function upstreamRequestHeaders (incoming: IncomingHttpHeaders, host: string, bodyLength: number | undefined, dropTraceContext = false): IncomingHttpHeaders {
  const named = connectionOptions(incoming.connection)
  const headers: IncomingHttpHeaders = {}
  for (const name in incoming) {
    // 58 is ':', as in ':method': HTTP/2 pseudo-headers.
    if (name.charCodeAt(0) === 58 || HOP_BY_HOP.has(name) || named?.has(name) || (dropTraceContext && TRACE_CONTEXT.has(name))) continue
    const value = incoming[name]
    if (value !== undefined) headers[name] = value
  }
  headers.host = host
  if (bodyLength !== undefined) headers['content-length'] = String(bodyLength)
  return headers
}

// The client's connection is the gateway's, whatever the instance said about its own (and HTTP/2 forbids them).
const RESPONSE_HOP_BY_HOP = new Set(['connection', 'keep-alive', 'proxy-connection', 'transfer-encoding', 'upgrade', 'trailer', 'http2-settings'])

/** An upstream's response headers as the client receives them. */
export function clientResponseHeaders (upstream: IncomingHttpHeaders | Record<string, string | string[] | undefined>): OutgoingHttpHeaders {
  const named = connectionOptions(upstream.connection)
  const headers: OutgoingHttpHeaders = {}
  for (const name in upstream) {
    if (RESPONSE_HOP_BY_HOP.has(name) || named?.has(name)) continue
    const value = upstream[name]
    if (value !== undefined) headers[name] = value
  }
  return headers
}
