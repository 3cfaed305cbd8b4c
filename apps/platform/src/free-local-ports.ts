import { readFileSync } from 'node:fs'
import { tryHoldPort } from './port-check.ts'
import type { HeldPort } from './port-check.ts'

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

/**
 * `count` distinct ports that were free on `host` (the address the services will listen on) a moment
 * ago (all held open together, so none repeats): below the ephemeral range where the system has one,
 * otherwise the kernel's choice.
 */
export async function freeLocalPorts (count: number, host = '127.0.0.1', random: () => number = Math.random): Promise<number[]> {
  const held: HeldPort[] = []
  const low = ephemeralLow()
  try {
    const attempts = low === undefined ? 0 : count * 50
    for (let attempt = 0; held.length < count && attempt < attempts; attempt++) {
      const claimed = await tryHoldPort(host, LOWEST + Math.floor(random() * (low! - LOWEST)))
      if (claimed) held.push(claimed)
    }
    while (held.length < count) {
      const claimed = await tryHoldPort(host, 0)
      if (!claimed) throw new Error('no free loopback port')
      held.push(claimed)
    }
    return held.map(h => h.port)
  } finally {
    await Promise.all(held.map(h => h.release()))
  }
}
