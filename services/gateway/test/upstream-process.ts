// An upstream instance in its own process (spawned by upstream-process-control.ts),
// reporting on stdout, one JSON line each, what it sees: its port once listening,
// each connection, each request's arrival (by its `?id=`, with its connection's number), each request whose
// connection closed before it was answered, and each answered one.
// `?hang` never answers; `?trickle=<ms>` sends the head at once, then a chunk every
// 100 ms until <ms> passed; anything else is answered at once. GET /readyz is 200.
import { createServer } from 'node:http'
import type { AddressInfo } from 'node:net'

const report = (event: Record<string, unknown>) => process.stdout.write(`${JSON.stringify(event)}\n`)

let connections = 0
const numbers = new WeakMap<object, number>()
const server = createServer((req, res) => {
  if (req.url === '/readyz') {
    res.writeHead(200, { 'content-type': 'application/json' }).end('{}')
    return
  }
  const query = new URL(req.url ?? '/', 'http://upstream').searchParams
  const id = query.get('id') ?? ''
  report({ event: 'arrived', id, connection: numbers.get(req.socket) })
  res.on('close', () => report({ event: res.writableFinished ? 'answered' : 'closed', id }))
  req.resume()
  req.on('end', () => {
    if (query.has('hang')) return
    const trickleMs = Number(query.get('trickle') ?? 0)
    if (trickleMs > 0) {
      res.writeHead(200, { 'content-type': 'text/plain' })
      const started = Date.now()
      const timer = setInterval(() => {
        if (res.destroyed) return clearInterval(timer)
        if (Date.now() - started < trickleMs) return res.write('.')
        clearInterval(timer)
        res.end('.')
      }, 100)
      return
    }
    res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify({ id }))
  })
})
server.on('connection', (socket) => {
  numbers.set(socket, ++connections)
  report({ event: 'connection', n: connections })
})
server.listen(0, '127.0.0.1', () => report({ event: 'listening', port: (server.address() as AddressInfo).port }))
// Never outlive the test.
process.stdin.resume()
process.stdin.on('end', () => process.exit(0))
