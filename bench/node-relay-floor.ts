// A child process of gateway-overhead.ts: the least a proxy written in Node can do per request,
// measured beside nginx and the gateway so that the gap between them can be read as
// "Node's floor" plus "the gateway's features". It is not a product: plain TCP sockets, no HTTP
// library, only what the bench sends (GET without a body, keep-alive, one request at a time per
// connection) and answers with a Content-Length. No token, no limit, no log, no metric: it swaps
// the Host header, adds a request id, and relays.
import { randomUUID } from 'node:crypto'
import { connect, createServer } from 'node:net'
import type { AddressInfo, Socket } from 'node:net'

const upstream = new URL(process.env.BENCH_UPSTREAM_URL!)
const HEAD_END = Buffer.from('\r\n\r\n')
const idle: Socket[] = []

function upstreamSocket (use: (socket: Socket) => void): void {
  const kept = idle.pop()
  if (kept && !kept.destroyed) return use(kept)
  const socket = connect(Number(upstream.port), upstream.hostname, () => use(socket))
  socket.setNoDelay(true)
  socket.on('error', () => socket.destroy())
}

/** Reads one answer with a Content-Length from `socket`, then hands the socket back. */
function relayAnswer (socket: Socket, client: Socket): void {
  let answer: Buffer | undefined
  let length = -1
  const onData = (chunk: Buffer) => {
    answer = answer ? Buffer.concat([answer, chunk]) : chunk
    if (length < 0) {
      const end = answer.indexOf(HEAD_END)
      if (end < 0) return
      const declared = /\r\ncontent-length:\s*(\d+)/i.exec(answer.toString('latin1', 0, end))
      if (!declared) return client.destroy()
      length = end + HEAD_END.length + Number(declared[1])
    }
    if (answer.length < length) return
    socket.removeListener('data', onData)
    idle.push(socket)
    client.write(answer)
  }
  socket.on('data', onData)
}

const server = createServer((client) => {
  client.setNoDelay(true)
  client.on('error', () => client.destroy())
  let pending: Buffer | undefined
  client.on('data', (chunk) => {
    pending = pending ? Buffer.concat([pending, chunk]) : chunk
    const end = pending.indexOf(HEAD_END)
    if (end < 0) return
    const lines = pending.toString('latin1', 0, end).split('\r\n')
    pending = undefined
    const kept = lines.filter((line, i) => i === 0 || !/^(host|connection):/i.test(line))
    const head = `${kept.join('\r\n')}\r\nhost: ${upstream.host}\r\nx-request-id: ${randomUUID()}\r\n\r\n`
    upstreamSocket((socket) => {
      relayAnswer(socket, client)
      socket.write(head, 'latin1')
    })
  })
})

server.listen(0, '127.0.0.1', () => {
  process.send!({ url: `http://127.0.0.1:${(server.address() as AddressInfo).port}` })
})
process.on('message', (message) => {
  // CPU time used so far: the benchmark's measure of this process's cost per request.
  if (message === 'cpu') process.send!({ cpu: process.cpuUsage() })
  if (message === 'stop') process.exit(0)
})
process.on('disconnect', () => process.exit(0))
