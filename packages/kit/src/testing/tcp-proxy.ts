import { connect, createServer } from 'node:net'
import type { Socket } from 'node:net'

export interface TcpProxy {
  port: number
  /** `base` (default `amqp://guest:guest@127.0.0.1`) pointed at the proxy: same scheme, credentials and vhost. */
  url(base?: string): string
  /** Drops every open connection and refuses new ones, as an unreachable server would. */
  cut(): void
  /** Accepts and forwards connections again. */
  restore(): void
  close(): Promise<void>
}

/**
 * A TCP forwarder on a free local port: tests route a client through it and
 * cut the link to simulate a broker outage or a dropped connection without
 * touching the shared server.
 */
export async function startTcpProxy (targetHost: string, targetPort: number): Promise<TcpProxy> {
  const sockets = new Set<Socket>()
  let cut = false

  const track = (socket: Socket) => {
    sockets.add(socket)
    socket.on('close', () => sockets.delete(socket))
    // A reset peer is the expected outcome of cut(); it must not crash the test process.
    socket.on('error', () => socket.destroy())
  }

  const server = createServer((client) => {
    track(client)
    if (cut) {
      client.destroy()
      return
    }
    const upstream = connect(targetPort, targetHost)
    track(upstream)
    client.pipe(upstream)
    upstream.pipe(client)
    client.on('close', () => upstream.destroy())
    upstream.on('close', () => client.destroy())
  })

  await new Promise<void>((resolve, reject) => {
    server.once('error', reject)
    server.listen(0, '127.0.0.1', () => resolve())
  })
  const address = server.address()
  if (!address || typeof address === 'string') throw new Error('proxy has no port')
  const port = address.port

  return {
    port,
    url (base = 'amqp://guest:guest@127.0.0.1') {
      const url = new URL(base)
      url.hostname = '127.0.0.1'
      url.port = String(port)
      return url.toString()
    },
    cut () {
      cut = true
      for (const socket of sockets) socket.destroy()
    },
    restore () {
      cut = false
    },
    async close () {
      cut = true
      for (const socket of sockets) socket.destroy()
      await new Promise<void>(resolve => server.close(() => resolve()))
    }
  }
}
