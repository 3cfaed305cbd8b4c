import { createServer } from 'node:http'
import type { AddressInfo } from 'node:net'
import type { Registry } from 'prom-client'

export interface OpsListener {
  url: string
  close(): Promise<void>
}

/**
 * The gateway's operations endpoints on their own address, never the public
 * port: `GET /metrics` (Prometheus text); anything else 404.
 */
export async function startOpsListener (host: string, port: number, registry: Registry): Promise<OpsListener> {
  const server = createServer((req, res) => {
    const path = (req.url ?? '').split('?')[0]
    if (path !== '/metrics' || (req.method !== 'GET' && req.method !== 'HEAD')) {
      res.writeHead(404, { 'content-type': 'application/problem+json' })
      res.end(JSON.stringify({ type: 'about:blank', title: 'Not found', status: 404, code: 'not_found' }))
      return
    }
    registry.metrics().then(
      text => res.writeHead(200, { 'content-type': registry.contentType }).end(req.method === 'HEAD' ? undefined : text),
      () => res.writeHead(500).end()
    )
  })
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject)
    server.listen(port, host, () => resolve())
  })
  const address = server.address() as AddressInfo
  return {
    url: `http://${address.family === 'IPv6' ? `[${address.address}]` : address.address}:${address.port}`,
    close: () => new Promise<void>(resolve => {
      server.closeAllConnections()
      server.close(() => resolve())
    })
  }
}

declare module 'fastify' {
  interface FastifyInstance {
    /** The operations listener's base URL (`GATEWAY_OPS_PORT`); null when there is none. */
    opsUrl: string | null
  }
}
