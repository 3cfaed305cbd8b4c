import { readFileSync } from 'node:fs'
import { createServer } from 'node:net'
import type { AddressInfo, Server } from 'node:net'

const EPHEMERAL_RANGE = '/proc/sys/net/ipv4/ip_local_port_range'
/** Below this, registered services' ports are too crowded to pick from. */
const LOWEST = 10_000

/**
 * The first port of the kernel's ephemeral range (Linux), where it finds ports for outgoing
 * connections and for `listen(0)`. A port chosen there and released can be taken by any
 * connect() in the tens of seconds before its service listens; one chosen below it cannot.
 */
function ephemeralLow (): number | undefined {
  try {
    const low = Number(readFileSync(EPHEMERAL_RANGE, 'utf8').trim().split(/\s+/)[0])
    return Number.isInteger(low) && low > LOWEST + 1_000 ? low : undefined
  } catch {
    return undefined
  }
}

const listenOn = (server: Server, host: string, port: number) =>
  new Promise<boolean>((resolve, reject) => {
    server.once('error', (err: NodeJS.ErrnoException) => err.code === 'EADDRINUSE' || err.code === 'EACCES' ? resolve(false) : reject(err))
    server.listen(port, host, () => resolve(true))
  })

/**
 * `count` distinct ports that were free on `host` (the address the services will listen on) a moment
 * ago (all held open together, so none repeats): below the ephemeral range where the system has one,
 * otherwise the kernel's choice.
 */
export async function freeLocalPorts (count: number, host = '127.0.0.1', random: () => number = Math.random): Promise<number[]> {
  const servers: Server[] = []
  const low = ephemeralLow()
  try {
    const attempts = low === undefined ? 0 : count * 50
    for (let attempt = 0; servers.length < count && attempt < attempts; attempt++) {
      const server = createServer()
      if (await listenOn(server, host, LOWEST + Math.floor(random() * (low! - LOWEST)))) servers.push(server)
    }
    while (servers.length < count) {
      const server = createServer()
      if (!await listenOn(server, host, 0)) throw new Error('no free loopback port')
      servers.push(server)
    }
    return servers.map(s => (s.address() as AddressInfo).port)
  } finally {
    await Promise.all(servers.map(s => new Promise<void>(resolve => s.close(() => resolve()))))
  }
}
