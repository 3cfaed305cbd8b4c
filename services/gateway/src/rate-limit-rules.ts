import { ConfigError } from '@app/kit/config'
import type { BucketRule } from './rate-limit-bucket.ts'
import type { RouteGroup } from './routes.ts'

/** Which buckets apply; an absent rule is no limit. */
export interface RateLimitRules {
  /** All clients together. */
  global?: BucketRule | undefined
  /** Per client IP (an IPv6 client by its /64), over every route. */
  ip?: BucketRule | undefined
  /** Per authenticated user (token `sub`), over every route. */
  user?: BucketRule | undefined
  /** Per client IP, on the routes of one group only. */
  groups: Partial<Record<RouteGroup, BucketRule>>
}

export const ROUTE_GROUPS = ['sensitive', 'account', 'admin', 'api', 'rpc', 'docs', 'dev', 'pages'] as const satisfies readonly RouteGroup[]
type OnlyNever<T extends never> = T
/** Fails to compile when routes.ts gains a group ROUTE_GROUPS lacks. */
export type UnlistedRouteGroups = OnlyNever<Exclude<RouteGroup, typeof ROUTE_GROUPS[number]>>

/** The deprecated per-minute variables, still honoured when set (each was one fixed one-minute window). */
export interface LegacyLimits {
  GATEWAY_RATE_LIMIT_PER_MINUTE?: number | undefined
  GATEWAY_RATE_LIMIT_BURST?: number | undefined
  GATEWAY_SENSITIVE_RATE_LIMIT_PER_MINUTE?: number | undefined
  GATEWAY_USER_RATE_LIMIT_PER_MINUTE?: number | undefined
}

export const RATE_LIMITS_VARIABLE = 'GATEWAY_RATE_LIMITS'

/** The built-in rules: the old per-minute defaults as buckets (N a minute, N at once); no global limit. */
export const DEFAULT_RATE_LIMITS = 'global=off; ip=600/min burst 600; user=1200/min burst 1200; group.sensitive=20/min burst 20'

const UNITS: Record<string, number> = { s: 1, sec: 1, second: 1, min: 60, minute: 60, h: 3600, hour: 3600 }
const ENTRY = /^(global|ip|user|group\.([a-z]+))\s*=\s*(?:(off)|(\d+(?:\.\d+)?)\s*\/\s*([a-z]+)(?:\s+burst\s+(\d+))?)$/
const MAX_BURST = 1_000_000_000

/**
 * Parses `scope=rate/unit [burst n]` entries separated by `;`, where scope is
 * `global`, `ip`, `user` or `group.<route group>`, unit is `s`, `min` or `h`,
 * and `off` removes a limit. Without `burst`, a bucket holds one unit's worth
 * (`20/min` holds 20). Scopes not named keep their rule from `rules`.
 */
export function parseRateLimits (text: string, rules: RateLimitRules, variable = RATE_LIMITS_VARIABLE): RateLimitRules {
  const problems: string[] = []
  const seen = new Set<string>()
  const result: RateLimitRules = { ...rules, groups: { ...rules.groups } }
  for (const raw of text.split(';')) {
    const entry = raw.trim().toLowerCase()
    if (entry === '') continue
    const match = ENTRY.exec(entry)
    if (!match) {
      problems.push(`${variable}: "${raw.trim()}" is not scope=rate/unit [burst n] or scope=off (scope: global, ip, user, group.<name>; unit: s, min, h)`)
      continue
    }
    const [, scope = '', group, off, count, unit = '', burst] = match
    if (seen.has(scope)) problems.push(`${variable}: ${scope} is given twice`)
    seen.add(scope)
    if (group !== undefined && !(ROUTE_GROUPS as readonly string[]).includes(group)) {
      problems.push(`${variable}: unknown route group "${group}" (one of ${ROUTE_GROUPS.join(', ')})`)
      continue
    }
    let rule: BucketRule | undefined
    if (off === undefined) {
      const perUnit = Number(count)
      const seconds = UNITS[unit]
      const size = burst === undefined ? Math.max(1, Math.ceil(perUnit)) : Number(burst)
      if (seconds === undefined) problems.push(`${variable}: unknown unit "${unit}" in "${raw.trim()}" (s, min or h)`)
      else if (!(perUnit > 0) || perUnit > MAX_BURST) problems.push(`${variable}: the rate in "${raw.trim()}" must be above 0 and at most ${MAX_BURST}`)
      else if (size < 1 || size > MAX_BURST) problems.push(`${variable}: the burst in "${raw.trim()}" must be 1 to ${MAX_BURST}`)
      else rule = { ratePerSecond: perUnit / seconds, burst: size }
    }
    if (group !== undefined) result.groups[group as RouteGroup] = rule
    else result[scope as 'global' | 'ip' | 'user'] = rule
  }
  if (problems.length > 0) throw new ConfigError(problems)
  return result
}

/** The built-in rules, then the deprecated variables that are set, then GATEWAY_RATE_LIMITS. */
export function rateLimitRules (text: string, legacy: LegacyLimits = {}): RateLimitRules {
  let rules = parseRateLimits(DEFAULT_RATE_LIMITS, { groups: {} }, 'the built-in rate limits')
  const perMinute = (n: number, burst = n): BucketRule => ({ ratePerSecond: n / 60, burst })
  const ipPerMinute = legacy.GATEWAY_RATE_LIMIT_PER_MINUTE
  if (ipPerMinute !== undefined || legacy.GATEWAY_RATE_LIMIT_BURST !== undefined) {
    const n = ipPerMinute ?? 600
    rules = { ...rules, ip: perMinute(n, n + (legacy.GATEWAY_RATE_LIMIT_BURST ?? 0)) }
  }
  if (legacy.GATEWAY_USER_RATE_LIMIT_PER_MINUTE !== undefined) rules = { ...rules, user: perMinute(legacy.GATEWAY_USER_RATE_LIMIT_PER_MINUTE) }
  if (legacy.GATEWAY_SENSITIVE_RATE_LIMIT_PER_MINUTE !== undefined) {
    rules = { ...rules, groups: { ...rules.groups, sensitive: perMinute(legacy.GATEWAY_SENSITIVE_RATE_LIMIT_PER_MINUTE) } }
  }
  return parseRateLimits(text, rules)
}
