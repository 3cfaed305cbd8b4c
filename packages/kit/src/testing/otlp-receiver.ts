import { createServer } from 'node:http'
import type { AddressInfo } from 'node:net'

/** One span as an OTLP/JSON export carries it, with its resource's service name. */
export interface ReceivedSpan {
  service: string
  traceId: string
  spanId: string
  parentSpanId: string
  name: string
  /** OTLP span kind: 1 internal, 2 server, 3 client, 4 producer, 5 consumer. */
  kind: number
  attributes: Record<string, unknown>
  /** OTLP status code: 0 unset, 1 ok, 2 error. */
  status: number
}

export interface OtlpReceiver {
  /** The base URL to give as OTEL_EXPORTER_OTLP_ENDPOINT. */
  endpoint: string
  spans: ReceivedSpan[]
  /** The `/v1/traces` requests that were not OTLP JSON. */
  rejected: number
  close(): Promise<void>
}

interface AnyValue { stringValue?: string, intValue?: number | string, boolValue?: boolean, doubleValue?: number }
interface KeyValue { key: string, value: AnyValue }

/** Trace and span ids are hex in OTLP/JSON; a base64 encoding (protobuf-style JSON) is accepted too. */
const hexId = (id: string | undefined) => !id ? '' : /^[0-9a-f]+$/i.test(id) ? id.toLowerCase() : Buffer.from(id, 'base64').toString('hex')
const valueOf = (v: AnyValue) => v.stringValue ?? (v.intValue !== undefined ? Number(v.intValue) : undefined) ?? v.boolValue ?? v.doubleValue
const attributesOf = (list: KeyValue[] | undefined) => Object.fromEntries((list ?? []).map(a => [a.key, valueOf(a.value)]))

/** An OTLP/HTTP trace receiver (JSON encoding) on a free local port, keeping every span it is sent. */
export async function startOtlpReceiver (): Promise<OtlpReceiver> {
  const spans: ReceivedSpan[] = []
  const state = { rejected: 0 }
  const server = createServer((req, res) => {
    const chunks: Buffer[] = []
    req.on('data', (chunk: Buffer) => chunks.push(chunk))
    req.on('end', () => {
      try {
        if (req.url !== '/v1/traces' || !String(req.headers['content-type']).includes('json')) throw new Error('not OTLP JSON')
        const body = JSON.parse(Buffer.concat(chunks).toString('utf8')) as { resourceSpans?: Array<{ resource?: { attributes?: KeyValue[] }, scopeSpans?: Array<{ spans?: Array<Record<string, unknown>> }> }> }
        for (const resourceSpans of body.resourceSpans ?? []) {
          const service = String(attributesOf(resourceSpans.resource?.attributes)['service.name'] ?? '')
          for (const scope of resourceSpans.scopeSpans ?? []) {
            for (const span of scope.spans ?? []) {
              spans.push({
                service,
                traceId: hexId(span.traceId as string),
                spanId: hexId(span.spanId as string),
                parentSpanId: hexId(span.parentSpanId as string | undefined),
                name: String(span.name),
                kind: Number(span.kind ?? 0),
                attributes: attributesOf(span.attributes as KeyValue[]),
                status: Number((span.status as { code?: number } | undefined)?.code ?? 0)
              })
            }
          }
        }
        res.writeHead(200, { 'content-type': 'application/json' }).end('{}')
      } catch {
        state.rejected++
        res.writeHead(400).end()
      }
    })
  })
  await new Promise<void>(resolve => server.listen(0, '127.0.0.1', resolve))
  const { port } = server.address() as AddressInfo
  return {
    endpoint: `http://127.0.0.1:${port}`,
    spans,
    get rejected () { return state.rejected },
    close: () => new Promise<void>(resolve => { server.closeAllConnections(); server.close(() => resolve()) })
  }
}
