import { lookup, Resolver } from 'node:dns/promises'
import { createInstancePool } from './instance-pool.ts'
import type { InstancePool, InstancePoolOptions } from './instance-pool.ts'
import type { Instance, InstanceSource } from './instance-specs.ts'

/** Every address a name resolves to (IPv4 or IPv6). */
export type ResolveHost = (host: string) => Promise<string[]>

/** getaddrinfo's answer, as every other client on the host sees it (hosts file, search domains). */
export const lookupAll: ResolveHost = async (host) => (await lookup(host, { all: true })).map(a => a.address)

// The name has no address (a headless service with no ready pod): no instance.
// Any other failure (a DNS server timing out) keeps the last answer.
const NO_ADDRESS = new Set(['ENOTFOUND', 'ENODATA'])

/**
 * Asks these DNS servers (`ip` or `ip:port`, e.g. a Consul agent's
 * `127.0.0.1:8600`) for A and AAAA records, without the hosts file. Throws on
 * a server that is not an IP address.
 */
export function dnsServersResolver (servers: readonly string[]): ResolveHost {
  const resolver = new Resolver({ timeout: 2000, tries: 2 })
  resolver.setServers(servers)
  const family = (answer: Promise<string[]>) => answer.catch((err: NodeJS.ErrnoException) => {
    if (NO_ADDRESS.has(err.code ?? '')) return []
    throw err
  })
  return async (host) => {
    const [v4, v6] = await Promise.all([family(resolver.resolve4(host)), family(resolver.resolve6(host))])
    if (v4.length + v6.length === 0) throw Object.assign(new Error(`${host} has no address`), { code: 'ENOTFOUND' })
    return [...v4, ...v6]
  }
}

export interface DiscoveredPoolOptions extends Omit<InstancePoolOptions, 'instances'> {
  sources: readonly InstanceSource[]
  /** How often DNS names are resolved again. */
  refreshMs: number
  resolve?: ResolveHost
  /** A resolution failed for another reason than "no such name"; its last answer is kept. */
  onResolveError?: (host: string, err: unknown) => void
}

export interface DiscoveredPool extends InstancePool {
  /** Settles once the first DNS answers are in (at once without DNS names). */
  readonly ready: Promise<void>
  /** Resolves the DNS names now and updates the instances (the timer does the same). */
  refresh(): Promise<void>
}

const urlFor = (address: string, port: number) => `http://${address.includes(':') ? `[${address}]` : address}:${port}`

/**
 * A pool over fixed URLs and DNS names. The first answer's addresses start in
 * the rotation, as fixed URLs do; a later address joins once its readiness
 * probe passes, and one no longer in the answer is drained.
 */
export function createDiscoveredPool (options: DiscoveredPoolOptions): DiscoveredPool {
  const { sources, refreshMs, resolve = lookupAll, onResolveError, ...poolOptions } = options
  const lastAnswers = new Map<string, string[]>()

  async function addressesOf (host: string): Promise<string[]> {
    try {
      const addresses = [...new Set(await resolve(host))].sort()
      lastAnswers.set(host, addresses)
      return addresses
    } catch (err) {
      if (NO_ADDRESS.has((err as NodeJS.ErrnoException).code ?? '')) {
        lastAnswers.set(host, [])
        return []
      }
      onResolveError?.(host, err)
      return lastAnswers.get(host) ?? []
    }
  }

  async function instances (): Promise<Instance[]> {
    const lists = await Promise.all(sources.map(async (source): Promise<Instance[]> => source.kind === 'static'
      ? [source.instance]
      : (await addressesOf(source.host)).map(address => ({ url: urlFor(address, source.port), weight: source.weight }))))
    return lists.flat()
  }

  const fixed = sources.flatMap(source => source.kind === 'static' ? [source.instance] : [])
  const pool = createInstancePool({ ...poolOptions, instances: fixed })
  if (fixed.length === sources.length) return Object.assign(pool, { ready: Promise.resolve(), refresh: async () => {} })

  let closed = false
  let running: Promise<void> | undefined
  const refresh = (probeNewcomers = true): Promise<void> => {
    running ??= instances()
      .then(list => { if (!closed) pool.update(list, { probeNewcomers }) })
      .finally(() => { running = undefined })
    return running
  }
  const ready = refresh(false)
  const timer = setInterval(() => { refresh().catch(() => {}) }, refreshMs).unref()
  const close = pool.close
  return Object.assign(pool, {
    ready,
    refresh: () => ready.then(() => refresh()),
    close () {
      closed = true
      clearInterval(timer)
      close()
    }
  })
}
