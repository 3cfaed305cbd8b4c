import { createPolicyMatcher, segmentsOf } from './policy-matcher.ts'
import type { RoutePolicy } from './route-policies.ts'
import { GATEWAY_ROUTE_POLICIES, SERVICE_ROUTE_POLICIES } from './route-policies.ts'
import type { ResolvedRoute, RouteEntry } from './routes.ts'

/** Why a request has no route: answered 404 by the gateway, never sent on. */
export interface RouteMiss {
  /**
   * `not_found`: under no prefix and no route of the gateway's own policies
   * (it may still be one of its operational routes); `no_policy`: under a
   * prefix, but not a route the table names.
   */
  miss: 'not_found' | 'no_policy' | 'unknown_version' | 'internal' | 'ambiguous_path'
}

/** The upstream of the routes the gateway answers itself. */
export const GATEWAY_UPSTREAM = 'gateway'

const VERSION = /^v\d+$/
const WILDCARD_SEGMENT = /\/[:*]/

/** `/a/b` as `['a', 'b']`; the root as none. */
const prefixSegments = (prefix: string): string[] => prefix === '/' || prefix === '' ? [] : segmentsOf(prefix)

/**
 * The path's segments, percent-decoded as the services' router decodes them,
 * without a trailing slash (which it ignores). Undefined for a path that a
 * proxy or a service could read differently than the gateway: dot segments,
 * empty segments, encoded or back slashes, bad percent-encoding, and a `#`,
 * where Fastify's router ends the path (a client never sends a fragment).
 */
export function pathSegments (url: string): string[] | undefined {
  if (url.includes('#')) return undefined
  const query = url.indexOf('?')
  const raw = query === -1 ? url : url.slice(0, query)
  if (raw[0] !== '/') return undefined
  const parts = raw.split('/')
  if (parts.length > 2 && parts.at(-1) === '') parts.pop()
  const segments: string[] = []
  for (let i = 1; i < parts.length; i++) {
    let segment = parts[i]!
    if (segment.includes('%')) {
      try { segment = decodeURIComponent(segment) } catch { return undefined }
      if (segment.includes('/')) return undefined
    }
    if ((segment === '' && parts.length > 2) || segment === '.' || segment === '..' || segment.includes('\\')) return undefined
    segments.push(segment)
  }
  return segments
}

interface CompiledEntry {
  entry: RouteEntry
  prefix: string[]
  /** The prefix as the upstream receives it. */
  upstreamPrefix: string[]
  rewritten: boolean
  /** The pattern label of each policy reached through this entry, worked out once. */
  labels: Map<RoutePolicy, string>
}

function startsWith (segments: readonly string[], prefix: readonly string[]): boolean {
  if (prefix.length > segments.length) return false
  for (let i = 0; i < prefix.length; i++) if (segments[i] !== prefix[i]) return false
  return true
}

/** Whether `url` starts with `prefix` exactly as written, up to a segment boundary. */
function literalPrefix (url: string, prefix: string): boolean {
  const next = url[prefix.length]
  return url.startsWith(prefix) && (next === undefined || next === '/' || next === '?')
}

/**
 * Resolves a request to its route: the entry with the longest matching
 * prefix, and the policy of the path its upstream receives. A route of a
 * newer API version that the table does not name keeps the policy of the v1
 * route of the same literal path (none through a `:param` or `*`). Paths under no prefix may be the gateway's own routes.
 */
export function createRouteResolver (entries: readonly RouteEntry[], servicePolicies: readonly RoutePolicy[] = SERVICE_ROUTE_POLICIES, gatewayPolicies: readonly RoutePolicy[] = GATEWAY_ROUTE_POLICIES) {
  const compiled: CompiledEntry[] = entries
    .map(entry => ({
      entry,
      prefix: prefixSegments(entry.prefix),
      upstreamPrefix: prefixSegments(entry.rewritePrefix ?? entry.prefix),
      rewritten: (entry.rewritePrefix ?? entry.prefix) !== entry.prefix,
      labels: new Map<RoutePolicy, string>()
    }))
    .sort((a, b) => b.prefix.length - a.prefix.length)
  const versions = new Set(compiled.filter(c => c.prefix[0] === 'api' && VERSION.test(c.prefix[1] ?? '')).map(c => c.prefix[1]))
  const services = createPolicyMatcher(servicePolicies)
  const gateway = createPolicyMatcher(gatewayPolicies)
  const gatewayEntries = new Map(gatewayPolicies.map(p => [p, { prefix: p.pattern.replace(/\/\*$/, ''), upstream: GATEWAY_UPSTREAM }]))

  const servicePolicy = (method: string, segments: string[]): RoutePolicy | undefined => {
    const policy = services.match(method, segments)
    if (policy || segments[0] !== 'api' || !VERSION.test(segments[1] ?? '') || segments[1] === 'v1') return policy
    // Only a route spelt out in full: `/api/v2/users/export` may be a new route, not the v1 `/api/v1/users/:id`.
    const v1 = services.match(method, ['api', 'v1', ...segments.slice(2)])
    return v1 && !WILDCARD_SEGMENT.test(v1.pattern) ? v1 : undefined
  }

  /** The policy's pattern as the client sees it: under the entry's prefix rather than the upstream's. */
  const label = (match: CompiledEntry, policy: RoutePolicy): string => {
    let known = match.labels.get(policy)
    if (known === undefined) {
      const patternSegments = segmentsOf(policy.pattern)
      const skipped = match.upstreamPrefix.length
      known = `/${[...match.prefix, ...(patternSegments.length >= skipped ? patternSegments.slice(skipped) : ['*'])].join('/')}`
      match.labels.set(policy, known)
    }
    return known
  }

  return (method: string, url: string): ResolvedRoute | RouteMiss => {
    const segments = pathSegments(url)
    if (!segments) return { miss: 'ambiguous_path' }
    if (segments[0] === 'internal') return { miss: 'internal' }
    const path = `/${segments.join('/')}`
    const match = compiled.find(c => startsWith(segments, c.prefix))
    if (match) {
      // The proxy cuts the prefix off the path as sent: a prefix spelt with percent-escapes would be cut in the wrong place.
      if (!literalPrefix(url, match.entry.prefix)) return { miss: 'ambiguous_path' }
      const upstreamSegments = match.rewritten ? [...match.upstreamPrefix, ...segments.slice(match.prefix.length)] : segments
      const policy = servicePolicy(method, upstreamSegments)
      if (!policy) return { miss: 'no_policy' }
      if (policy.policy === 'internal') return { miss: 'internal' }
      return { entry: match.entry, path, group: policy.group, policy: policy.policy, pattern: label(match, policy) }
    }
    const own = gateway.match(method, segments)
    if (own) return { entry: gatewayEntries.get(own)!, path, group: own.group, policy: own.policy, pattern: own.pattern }
    if (segments[0] === 'api' && VERSION.test(segments[1] ?? '') && !versions.has(segments[1])) return { miss: 'unknown_version' }
    return { miss: 'not_found' }
  }
}

export type RouteResolver = ReturnType<typeof createRouteResolver>

export const isMiss = (resolved: ResolvedRoute | RouteMiss): resolved is RouteMiss => 'miss' in resolved
