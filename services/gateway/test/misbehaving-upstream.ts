import { createServer } from 'node:http'
import type { AddressInfo, Socket } from 'node:net'

/** How the instance fails a request, from its `?fail=` query. */
export type Failure = 'hang' | 'reset' | 'reset-mid-body' | 'stall-mid-body'

/**
 * A live instance that fails as real ones do, once it has read a request:
 * `hang` never answers; `reset` resets the connection instead of answering;
 * `reset-mid-body` sends the status, headers and part of a chunked body, then
 * resets; `stall-mid-body` sends as much, then nothing more. Anything else is
 * echoed. `/readyz` answers 200, so the gateway keeps the instance in rotation.
 */
export async function startMisbehavingUpstream () {
  const seen: string[] = []
  const sockets = new Set<Socket>()
  const server = createServer((req, res) => {
    if (req.url === '/readyz') {
      res.writeHead(200, { 'content-type': 'application/json' }).end('{}')
      return
    }
    const url = req.url ?? ''
    seen.push(url)
    req.resume()
    req.on('end', () => {
      const failure = new URL(url, 'http://upstream').searchParams.get('fail') as Failure | null
      if (failure === 'hang') return
      if (failure === 'reset') {
        req.socket.resetAndDestroy()
        return
      }
      if (failure === 'reset-mid-body' || failure === 'stall-mid-body') {
        res.writeHead(200, { 'content-type': 'application/json' })
        res.write('{"items":[1,2,', () => { if (failure === 'reset-mid-body') req.socket.resetAndDestroy() })
        return
      }
      res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify({ url, method: req.method, headers: req.headers }))
    })
  })
  server.on('connection', (socket) => {
    sockets.add(socket)
    socket.once('close', () => sockets.delete(socket))
  })
  await new Promise<void>(resolve => server.listen(0, '127.0.0.1', resolve))
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    /** The URLs of the requests that reached it, probes aside. */
    seen,
    close: () => new Promise<void>(resolve => {
      for (const socket of sockets) socket.destroy()
      server.close(() => resolve())
    })
  }
}
