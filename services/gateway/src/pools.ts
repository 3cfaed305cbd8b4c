import { ConfigError } from '@app/kit/config'
import type { Env } from '@app/kit/config'
import { dnsServersResolver, isStrategy, parseInstanceSources, withoutUserinfo } from '@app/kit/client'
import type { InstanceSource, ResolveHost, Strategy } from '@app/kit/client'
import type { Logger } from '@app/kit/log'
import { SERVICE_PORTS, serviceUrls, serviceUrlVariable } from '@app/kit/service'
import type { ServiceName } from '@app/kit/service'
import type { Static } from '@sinclair/typebox'
import type { GatewayConfigSchema } from './config.ts'
import { createUpstreamPool } from './upstream-pool.ts'
import type { UpstreamPool } from './upstream-pool.ts'

/** Every service the gateway can route to. */
export const ROUTED_SERVICES = (Object.keys(SERVICE_PORTS) as ServiceName[]).filter(s => s !== 'gateway')

const POOL_NAME = /^[a-z][a-z0-9-]*$/

type GatewayConfig = Static<typeof GatewayConfigSchema>

/** GATEWAY_UPSTREAM_URLS, `name=url url;name2=url`: each extra pool's instance sources. */
export function parseUpstreamUrls (value: string): Map<string, InstanceSource[]> {
  const variable = 'GATEWAY_UPSTREAM_URLS'
  const pools = new Map<string, InstanceSource[]>()
  for (const part of value.split(';').map(p => p.trim()).filter(Boolean)) {
    const equals = part.indexOf('=')
    const name = part.slice(0, Math.max(equals, 0)).trim()
    const entries = part.slice(equals + 1).split(/[\s,]+/).filter(Boolean)
    if (!POOL_NAME.test(name) || entries.length === 0) {
      throw new ConfigError([`${variable}: "${withoutUserinfo(part)}" must be <name>=<url> [<url> ...] with a lower-case name`])
    }
    if ((ROUTED_SERVICES as string[]).includes(name)) {
      throw new ConfigError([`${variable}: "${name}" is a service; its instances go in ${serviceUrlVariable(name as ServiceName)}`])
    }
    if (pools.has(name)) throw new ConfigError([`${variable}: "${name}" is named twice`])
    pools.set(name, parseInstanceSources(entries, variable))
  }
  return pools
}

/** GATEWAY_LB_STRATEGIES, `name:strategy,...`, for pools that exist. */
export function parseStrategies (value: string, pools: ReadonlySet<string>): Map<string, Strategy> {
  const variable = 'GATEWAY_LB_STRATEGIES'
  const strategies = new Map<string, Strategy>()
  for (const part of value.split(',').map(p => p.trim()).filter(Boolean)) {
    const [name = '', strategy = '', ...extra] = part.split(':').map(p => p.trim())
    if (extra.length > 0 || !isStrategy(strategy)) {
      throw new ConfigError([`${variable}: "${part}" must be <upstream>:<round-robin|least-connections|weighted>`])
    }
    if (!pools.has(name)) throw new ConfigError([`${variable}: "${name}" is no service nor upstream of GATEWAY_UPSTREAM_URLS`])
    if (strategies.has(name)) throw new ConfigError([`${variable}: "${name}" is named twice`])
    strategies.set(name, strategy)
  }
  return strategies
}

/** GATEWAY_DNS_SERVERS as a resolver; the system's when empty. */
export function resolverOf (servers: string): ResolveHost | undefined {
  const list = servers.split(',').map(s => s.trim()).filter(Boolean)
  if (list.length === 0) return undefined
  try {
    return dnsServersResolver(list)
  } catch {
    throw new ConfigError([`GATEWAY_DNS_SERVERS: "${servers}" must be IP addresses, each with an optional :port`])
  }
}

export interface PoolDependencies {
  log: Logger
  /** Tests: a DNS stand-in, a readiness probe, a clock. */
  resolve?: ResolveHost
  probe?: (url: string) => Promise<boolean>
  now?: () => number
}

/**
 * One pool per upstream: every service (instances in `<NAME>_SERVICE_URL`)
 * and every extra upstream of GATEWAY_UPSTREAM_URLS, once their DNS names
 * were first resolved. A bad setting fails start-up, naming its variable.
 */
export async function buildUpstreamPools (config: GatewayConfig, env: Env, deps: PoolDependencies): Promise<Map<string, UpstreamPool>> {
  const sources = new Map<string, InstanceSource[]>(ROUTED_SERVICES.map(service =>
    [service, parseInstanceSources(serviceUrls(service, env), serviceUrlVariable(service))]))
  for (const [name, extra] of parseUpstreamUrls(config.GATEWAY_UPSTREAM_URLS)) sources.set(name, extra)
  const strategies = parseStrategies(config.GATEWAY_LB_STRATEGIES, new Set(sources.keys()))
  const { log, ...injected } = deps
  const resolve = injected.resolve ?? resolverOf(config.GATEWAY_DNS_SERVERS)
  const healthCheck = config.GATEWAY_HEALTH_CHECK_MS > 0
    ? { intervalMs: config.GATEWAY_HEALTH_CHECK_MS, failures: config.GATEWAY_HEALTH_CHECK_FAILURES, successes: config.GATEWAY_HEALTH_CHECK_SUCCESSES }
    : undefined
  const pools = new Map([...sources].map(([name, list]) => [name, createUpstreamPool(name, list, {
    ...injected,
    ...(resolve ? { resolve } : {}),
    strategy: strategies.get(name) ?? config.GATEWAY_LB_STRATEGY,
    cooldownMs: config.GATEWAY_UPSTREAM_COOLDOWN_MS,
    healthCheck,
    dnsRefreshMs: config.GATEWAY_DNS_REFRESH_MS,
    onChange: (instance, up) => log.info({ upstream: name, instance }, up ? 'upstream instance joined the rotation' : 'upstream instance left the rotation'),
    onResolveError: (host, err) => log.warn({ upstream: name, host, err }, 'DNS resolution failed; the last answer is kept')
  })]))
  await Promise.all([...pools.values()].map(pool => pool.ready))
  return pools
}
