import proxyAddr from '@fastify/proxy-addr'
import type { IncomingMessage } from 'node:http'
import { ConfigError } from '@app/kit/config'
import type { TraceContextTrust } from '@app/kit/tracing'

export type TraceContextMode = 'trusted-proxies' | 'always' | 'never'

const nobody: TraceContextTrust = () => false
const everybody: TraceContextTrust = () => true

/**
 * Whose W3C trace context (`traceparent`, `tracestate`) the gateway believes,
 * as the parent of its server span and in what it forwards: the public edge
 * lets no client pick its trace id or force its sampling. `trusted-proxies`
 * (the default): a request whose peer is in GATEWAY_TRUSTED_PROXIES, the same
 * peers whose X-Forwarded-For is believed (nobody when that is empty);
 * `always`: every request's; `never`: none. Asked only of a request that
 * carries either header.
 */
export function traceContextTrust (mode: TraceContextMode, trustedProxies: string[]): TraceContextTrust {
  if (mode === 'always') return everybody
  if (mode === 'never' || trustedProxies.length === 0) return nobody
  let trusted: (address: string, hop: number) => boolean
  try {
    trusted = proxyAddr.compile(trustedProxies)
  } catch (err) {
    throw new ConfigError([`GATEWAY_TRUSTED_PROXIES: ${(err as Error).message}`])
  }
  return (raw: IncomingMessage) => {
    const peer = raw.socket?.remoteAddress
    return peer !== undefined && trusted(peer, 0)
  }
}

/** The incoming request's trace context headers are to be left out of what goes upstream. */
export function dropsTraceContext (raw: IncomingMessage, trust: TraceContextTrust): boolean {
  const headers = raw.headers
  return (headers.traceparent !== undefined || headers.tracestate !== undefined) && !trust(raw)
}
