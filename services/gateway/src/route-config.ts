import { ConfigError } from '@app/kit/config'
import { SERVICE_PORTS } from '@app/kit/service'
import { ROUTE_TABLE } from './routes.ts'
import type { RouteEntry } from './routes.ts'

const VARIABLE = 'GATEWAY_ROUTES'
// Plain segments only: no dot segments, no encoding, no trailing slash.
const PREFIX = /^(\/[A-Za-z0-9_~-][A-Za-z0-9._~-]*)+$/
const KEYS = new Set(['prefix', 'upstream', 'rewritePrefix', 'service'])
const SERVICES: ReadonlySet<string> = new Set(Object.keys(SERVICE_PORTS).filter(s => s !== 'gateway'))
const SHAPE = '{ prefix, upstream, rewritePrefix?, service? }'

export function isPlainPrefix (value: unknown): value is string {
  return typeof value === 'string' && PREFIX.test(value) && !value.split('/').some(s => s === '.' || s === '..')
}

const isInternal = (path: string) => path === '/internal' || path.startsWith('/internal/')

function entryProblems (item: unknown, at: string): string[] {
  if (typeof item !== 'object' || item === null || Array.isArray(item)) return [`${VARIABLE}: ${at} must be an object ${SHAPE}`]
  const { prefix, upstream, rewritePrefix, service } = item as Record<string, unknown>
  const problems = Object.keys(item).filter(key => !KEYS.has(key)).map(key => `${VARIABLE}: ${at} has an unknown field "${key}"`)
  if (!isPlainPrefix(prefix)) problems.push(`${VARIABLE}: ${at}.prefix must be a path such as /api/v2/users (no trailing slash)`)
  else if (isInternal(prefix)) problems.push(`${VARIABLE}: ${at}.prefix ${prefix}: /internal/* is never routed`)
  if (typeof upstream !== 'string' || upstream === '') problems.push(`${VARIABLE}: ${at}.upstream must name a service or an upstream of GATEWAY_UPSTREAM_URLS`)
  if (rewritePrefix !== undefined && rewritePrefix !== '/' && !isPlainPrefix(rewritePrefix)) {
    problems.push(`${VARIABLE}: ${at}.rewritePrefix must be a path such as /api/v1/users, or /`)
  } else if (typeof rewritePrefix === 'string' && isInternal(rewritePrefix)) {
    problems.push(`${VARIABLE}: ${at}.rewritePrefix ${rewritePrefix}: /internal/* is never routed`)
  }
  // The service the upstream runs, which the identity assertion is for: named, or the upstream itself when that is a service's pool.
  const runs = service ?? upstream
  const upstreamReported = service === undefined && (typeof upstream !== 'string' || upstream === '')
  if (!upstreamReported && (typeof runs !== 'string' || !SERVICES.has(runs))) {
    problems.push(`${VARIABLE}: ${at}.service must name the service that upstream runs (the identity assertion is for it): one of ${[...SERVICES].join(', ')}`)
  }
  return problems
}

/** GATEWAY_ROUTES: a JSON list of `{ prefix, upstream, rewritePrefix?, service? }`; every problem in one ConfigError. */
export function parseRoutes (value: string): RouteEntry[] {
  if (value.trim() === '') return []
  let parsed: unknown
  try {
    parsed = JSON.parse(value)
  } catch {
    throw new ConfigError([`${VARIABLE}: not valid JSON (a list of ${SHAPE})`])
  }
  if (!Array.isArray(parsed)) throw new ConfigError([`${VARIABLE}: must be a JSON list of ${SHAPE}`])
  const problems = parsed.flatMap((item, i) => entryProblems(item, `[${i}]`))
  const prefixes = parsed.map(item => (item as RouteEntry | null)?.prefix)
  prefixes.forEach((prefix, i) => { if (prefixes.indexOf(prefix) !== i) problems.push(`${VARIABLE}: ${String(prefix)} is listed twice`) })
  if (problems.length > 0) throw new ConfigError(problems)
  return (parsed as RouteEntry[]).map(({ prefix, upstream, rewritePrefix, service }) => ({
    prefix, upstream, ...(rewritePrefix === undefined ? {} : { rewritePrefix }), ...(service === undefined ? {} : { service })
  }))
}

/**
 * The built-in table with the configured entries: one with a built-in prefix
 * replaces it, the others are added. Each upstream must be one of `upstreams`
 * (the pools the gateway has).
 */
export function routeTableWith (configured: readonly RouteEntry[], upstreams: ReadonlySet<string>): RouteEntry[] {
  const unknown = configured.filter(entry => !upstreams.has(entry.upstream))
  if (unknown.length > 0) {
    throw new ConfigError(unknown.map(entry => `${VARIABLE}: ${entry.prefix} goes to "${entry.upstream}", which is no service nor upstream of GATEWAY_UPSTREAM_URLS`))
  }
  const replaced = new Set(configured.map(entry => entry.prefix))
  return [...ROUTE_TABLE.filter(entry => !replaced.has(entry.prefix)), ...configured]
}
