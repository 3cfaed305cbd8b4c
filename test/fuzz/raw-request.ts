import { request as httpRequest } from 'node:http'

/** A request exactly as it goes on the wire: the path is already percent-encoded, the body already bytes. */
export interface RawRequest {
  method: string
  /** Path and query, encoded; may hold deliberately invalid escapes such as `%ff`. */
  path: string
  headers: Record<string, string>
  body?: Buffer | string
}

export interface RawResponse {
  status: number
  contentType: string
  body: string
}

const TIMEOUT_MS = 20_000

/**
 * Sends with node:http rather than fetch, which would re-encode the path and
 * refuse some headers. A connection the server drops before answering rejects.
 */
export function sendRaw (baseUrl: string, req: RawRequest): Promise<RawResponse> {
  const { hostname, port } = new URL(baseUrl)
  return new Promise((resolve, reject) => {
    const body = req.body === undefined ? undefined : Buffer.from(req.body)
    const outgoing = httpRequest({
      host: hostname,
      port,
      method: req.method,
      path: req.path,
      headers: { ...req.headers, ...(body ? { 'content-length': String(body.length) } : {}) },
      timeout: TIMEOUT_MS
    }, (res) => {
      const chunks: Buffer[] = []
      res.on('data', (chunk: Buffer) => chunks.push(chunk))
      res.on('error', reject)
      res.on('end', () => resolve({
        status: res.statusCode ?? 0,
        contentType: String(res.headers['content-type'] ?? ''),
        body: Buffer.concat(chunks).toString('utf8')
      }))
    })
    outgoing.on('timeout', () => outgoing.destroy(new Error(`no answer within ${TIMEOUT_MS} ms`)))
    outgoing.on('error', reject)
    outgoing.end(body)
  })
}
