import { createServer } from 'node:net'
import type { AddressInfo, Server } from 'node:net'

/** `count` distinct loopback ports that were free a moment ago (all held open together, so none repeats). */
export async function freeLocalPorts (count: number): Promise<number[]> {
  const servers: Server[] = []
  try {
    for (let i = 0; i < count; i++) {
      const server = createServer()
      servers.push(server)
      await new Promise<void>((resolve, reject) => server.once('error', reject).listen(0, '127.0.0.1', resolve))
    }
    return servers.map(s => (s.address() as AddressInfo).port)
  } finally {
    await Promise.all(servers.map(s => new Promise<void>(resolve => s.close(() => resolve()))))
  }
}
