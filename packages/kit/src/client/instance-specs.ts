import { ConfigError } from '../config/index.ts'

/** One instance a pool can send requests to. */
export interface Instance {
  /** Base URL without a trailing slash or fragment, e.g. `http://10.0.0.5:3001`. */
  url: string
  /** Share of the traffic under the weighted strategy, relative to the others (1 to 100). */
  weight: number
}

/**
 * Where a pool's instances come from: a fixed URL, or a DNS name whose every
 * address is an instance (a Kubernetes headless service), re-resolved while
 * the pool lives.
 */
export type InstanceSource =
  | { kind: 'static', instance: Instance }
  | { kind: 'dns', host: string, port: number, weight: number }

export const MAX_WEIGHT = 100

/** `text` with the user and password of every URL in it masked (up to the last `@`, so a stray `/` or `@` in a password is masked too): setting errors are logged. */
export function withoutUserinfo (text: string): string {
  return text.replace(/(\/\/)[^\s,;]*@/g, '$1***@')
}

function weightOf (fragment: string, entry: string, variable: string): number {
  if (fragment === '') return 1
  const match = /^weight=(\d+)$/.exec(fragment)
  const weight = match ? Number(match[1]) : NaN
  if (!Number.isInteger(weight) || weight < 1 || weight > MAX_WEIGHT) {
    throw new ConfigError([`${variable}: "${withoutUserinfo(entry)}" must end in #weight=<integer from 1 to ${MAX_WEIGHT}> or nothing`])
  }
  return weight
}

/**
 * One entry of a service URL list: `http(s)://host:port`, or `dns://name:port`
 * (instances at every address the name resolves to, spoken to over http),
 * either followed by `#weight=N`.
 */
export function parseInstanceSource (entry: string, variable: string): InstanceSource {
  const hash = entry.indexOf('#')
  const address = hash === -1 ? entry : entry.slice(0, hash)
  const weight = weightOf(hash === -1 ? '' : entry.slice(hash + 1), entry, variable)
  let url: URL
  try {
    url = new URL(address)
  } catch {
    throw new ConfigError([`${variable}: "${withoutUserinfo(entry)}" is not a URL`])
  }
  if (url.protocol === 'dns:') {
    if (!url.hostname || !url.port || (url.pathname !== '' && url.pathname !== '/')) {
      throw new ConfigError([`${variable}: "${withoutUserinfo(entry)}" must be dns://<name>:<port>`])
    }
    return { kind: 'dns', host: url.hostname, port: Number(url.port), weight }
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') {
    throw new ConfigError([`${variable}: "${withoutUserinfo(entry)}" must start with http://, https:// or dns://`])
  }
  return { kind: 'static', instance: { url: address.replace(/\/+$/, ''), weight } }
}

/** Every entry of a list, each checked; a ConfigError names the variable and the entry. */
export function parseInstanceSources (entries: readonly string[], variable: string): InstanceSource[] {
  return entries.map(entry => parseInstanceSource(entry.trim(), variable))
}
