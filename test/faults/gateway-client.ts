import type { Flow, RequestLog } from './request-log.ts'

// Well above the gateway's upstream timeout (10 s): a client that waits this long has been failed.
const CLIENT_TIMEOUT_MS = 20_000

export interface Answer {
  status: number
  body: Record<string, unknown> | undefined
}

export interface CallOptions {
  body?: unknown
  token?: string
  headers?: Record<string, string>
}

/** Requests through the gateway; with a log and a flow, each is recorded as a sample of the load. */
export function createGatewayClient (gatewayUrl: string, log?: RequestLog) {
  let inFlight = 0

  async function call (method: string, path: string, options: CallOptions = {}, flow?: Flow, vu = 0): Promise<Answer> {
    const start = Date.now()
    inFlight++
    try {
      const res = await fetch(`${gatewayUrl}${path}`, {
        method,
        headers: {
          ...(options.body === undefined ? {} : { 'content-type': 'application/json' }),
          ...(options.token ? { authorization: `Bearer ${options.token}` } : {}),
          ...options.headers
        },
        body: options.body === undefined ? null : JSON.stringify(options.body),
        signal: AbortSignal.timeout(CLIENT_TIMEOUT_MS)
      })
      const text = await res.text()
      let body: Record<string, unknown> | undefined
      try { body = text ? JSON.parse(text) : undefined } catch { body = { text: text.slice(0, 200) } }
      if (flow) {
        log?.add({
          vu,
          flow,
          start,
          end: Date.now(),
          status: res.status,
          problem: (res.headers.get('content-type') ?? '').startsWith('application/problem+json'),
          retryAfter: res.headers.get('retry-after'),
          ...(res.status >= 400 && typeof body?.code === 'string' ? { code: body.code } : {}),
          ...(res.headers.get('x-request-id') ? { requestId: res.headers.get('x-request-id')! } : {})
        })
      }
      return { status: res.status, body }
    } catch (err) {
      const error = err instanceof Error ? `${err.name}: ${err.message}${err.cause instanceof Error ? ` (${err.cause.message})` : ''}` : String(err)
      if (flow) log?.add({ vu, flow, start, end: Date.now(), status: 0, problem: false, retryAfter: null, error })
      return { status: 0, body: undefined }
    } finally {
      inFlight--
    }
  }

  return {
    call,
    /** Requests sent and not yet answered. */
    inFlight: () => inFlight
  }
}

export type GatewayClient = ReturnType<typeof createGatewayClient>
