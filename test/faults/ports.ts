import { randomInt } from 'node:crypto'
import { createServer } from 'node:net'

// Below Linux's ephemeral range (32768-60999): outgoing connections never take these
// as their local port, so a port stays free while its instance restarts.
const LOW = 20_000
const HIGH = 32_000

const isFree = (port: number) => new Promise<boolean>(resolve => {
  const server = createServer()
  server.once('error', () => resolve(false))
  server.listen(port, '127.0.0.1', () => server.close(() => resolve(true)))
})

/** `count` distinct ports that are free now, for instances that keep their port across restarts. */
export async function reservePorts (count: number): Promise<number[]> {
  const ports = new Set<number>()
  while (ports.size < count) {
    const port = randomInt(LOW, HIGH)
    if (!ports.has(port) && await isFree(port)) ports.add(port)
  }
  return [...ports]
}
