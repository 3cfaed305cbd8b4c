import proxyAddr from '@fastify/proxy-addr'
import type { FastifyReply, FastifyRequest, onRequestHookHandler } from 'fastify'
import { ConfigError } from '@app/kit/config'
import { KitErrors } from '@app/kit/errors'
import type { App } from '@app/kit/http'
import type { BucketRule, Decision } from './rate-limit-bucket.ts'
import type { RateLimitRules } from './rate-limit-rules.ts'
import { ROUTE_GROUPS } from './rate-limit-rules.ts'
import type { Bucket, RateLimitStore } from './rate-limit-store.ts'
import type { RouteGroup } from './routes.ts'
import type { RefusingLimit } from './rate-limit-metrics.ts'

declare module 'fastify' {
  interface FastifyRequest {
    /** The tightest limit sent in this response's RateLimit-* headers so far. */
    rateLimitShown: Decision | null
  }
}

export interface RateLimitSettings {
  rules: RateLimitRules
  trustedProxies: string[]
  store: RateLimitStore
  /** Told of every refusal (the rejections metric). */
  rejected?: (group: RouteGroup, limit: RefusingLimit) => void
}

// Probes must never be starved by a client's traffic.
const EXEMPT = new Set(['/healthz', '/readyz'])

/**
 * The client's address: the peer, or the first untrusted hop of
 * X-Forwarded-For when the peer is a configured proxy.
 */
export function clientIpResolver (trustedProxies: string[]): (request: FastifyRequest) => string {
  if (trustedProxies.length === 0) return (request) => request.raw.socket.remoteAddress ?? 'unknown'
  let trust: ReturnType<typeof proxyAddr.compile>
  try {
    trust = proxyAddr.compile(trustedProxies)
  } catch (err) {
    throw new ConfigError([`GATEWAY_TRUSTED_PROXIES: ${(err as Error).message}`])
  }
  return (request) => proxyAddr(request.raw, trust)
}

/** The key of a client's bucket: its IPv4 address (also when IPv4-mapped), or its IPv6 /64, which one host can fill. */
export function clientKey (ip: string): string {
  if (!ip.includes(':')) return ip
  let address = ip.toLowerCase()
  const zone = address.indexOf('%')
  if (zone >= 0) address = address.slice(0, zone)
  if (address.startsWith('::ffff:') && address.includes('.')) return address.slice(7)
  const [head = '', tail] = address.split('::')
  const left = head === '' ? [] : head.split(':')
  const right = tail === undefined || tail === '' ? [] : tail.split(':')
  const groups = tail === undefined ? left : [...left, ...Array<string>(Math.max(0, 8 - left.length - right.length)).fill('0'), ...right]
  return `${groups.slice(0, 4).map(g => (Number.parseInt(g, 16) || 0).toString(16)).join(':')}::/64`
}

/**
 * One quota policy of draft-ietf-httpapi-ratelimit-headers (-06): the bucket
 * (`burst` requests at once) and the seconds it takes to refill, so `q;w`
 * also states the sustained rate.
 */
export function policyItem (rule: BucketRule): string {
  return `${rule.burst};w=${Math.max(1, Math.ceil(rule.burst / rule.ratePerSecond - 1e-9))}`
}

const tighter = (a: Decision, b: Decision) => a.remaining < b.remaining || (a.remaining === b.remaining && a.resetMs > b.resetMs)

/**
 * Refuses with 429 `rate_limited` when a bucket is empty; otherwise sends the
 * tightest limit's RateLimit-* headers (unless an earlier phase sent a tighter one).
 */
function settle (request: FastifyRequest, reply: FastifyReply, decisions: Decision[], policy: string): Error | undefined {
  let shown: Decision | undefined
  let refused: Decision | undefined
  for (const d of decisions) {
    if (!d.allowed) {
      if (!refused || d.retryMs > refused.retryMs) refused = d
    } else if (!shown || tighter(d, shown)) {
      shown = d
    }
  }
  if (refused) {
    const retryAfter = String(Math.max(1, Math.ceil(refused.retryMs / 1000)))
    return KitErrors.rate_limited({
      detail: `Too many requests; retry in ${retryAfter} seconds`,
      headers: {
        'ratelimit-limit': String(refused.limit),
        'ratelimit-remaining': '0',
        'ratelimit-reset': String(Math.ceil(refused.resetMs / 1000)),
        'ratelimit-policy': policy,
        'retry-after': retryAfter
      }
    })
  }
  if (!shown) return undefined
  reply.header('ratelimit-policy', policy)
  if (request.rateLimitShown && !tighter(shown, request.rateLimitShown)) return undefined
  request.rateLimitShown = shown
  reply.header('ratelimit-limit', String(shown.limit))
  reply.header('ratelimit-remaining', String(shown.remaining))
  reply.header('ratelimit-reset', String(Math.ceil(shown.resetMs / 1000)))
  return undefined
}

/**
 * Spends from each bucket in turn until one refuses, so a refused request
 * costs the later buckets nothing; synchronous while every bucket decides locally.
 */
function checkInOrder (buckets: Bucket[], keyOf: (bucket: Bucket) => string, decisions: Decision[], then: (decisions: Decision[]) => void, fail: (err: unknown) => void): void {
  for (let i = decisions.length; i < buckets.length; i++) {
    const bucket = buckets[i]!
    const d = bucket.check(keyOf(bucket))
    if (d instanceof Promise) {
      d.then(shared => {
        decisions.push(shared)
        if (shared.allowed) checkInOrder(buckets, keyOf, decisions, then, fail)
        else then(decisions)
      }, fail)
      return
    }
    decisions.push(d)
    if (!d.allowed) break
  }
  then(decisions)
}

interface GroupLimits {
  /** The group's own bucket and the per-IP one (keyed by client IP), then the global one. */
  buckets: Bucket[]
  byClient: boolean
  policy: string
  /** With the per-user policy, once the request is known to carry a user. */
  policyWithUser: string
}

/**
 * Token buckets (rate-limit-bucket.ts) per client IP and route group, per
 * client IP and for all clients together (installed here, after routing) and
 * per user (the returned hook, which must run after the token was verified).
 * They are spent in that order and a refusal stops there, so one flooding
 * client does not use up everyone's global allowance.
 */
export function installRateLimits (app: App, settings: RateLimitSettings): { perUser: onRequestHookHandler } {
  const { rules, store } = settings
  const clientIp = clientIpResolver(settings.trustedProxies)
  const ip = rules.ip && store.bucket('ip', rules.ip)
  const global = rules.global && store.bucket('global', rules.global)
  const user = rules.user && store.bucket('user', rules.user)
  const byGroup = new Map<RouteGroup, GroupLimits>()
  for (const group of ROUTE_GROUPS) {
    const own = rules.groups[group] && store.bucket(`group.${group}`, rules.groups[group])
    const buckets = [own, ip, global].filter(b => b !== undefined)
    const policy = buckets.map(b => policyItem(b.rule)).join(', ')
    const withUser = user ? [policy, policyItem(user.rule)].filter(Boolean).join(', ') : policy
    byGroup.set(group, { buckets, byClient: own !== undefined || ip !== undefined, policy, policyWithUser: withUser })
  }
  app.decorateRequest('rateLimitShown', null)

  // The bucket that refused is the last one checked: checkInOrder stops at a refusal.
  const limitOf = (bucket: Bucket | undefined): RefusingLimit => bucket === ip ? 'ip' : bucket === global ? 'global' : 'group'

  app.addHook('onRequest', (request, reply, done) => {
    const url = request.url
    const query = url.indexOf('?')
    if (EXEMPT.has(query < 0 ? url : url.slice(0, query))) return done()
    const group = request.gatewayRoute?.group ?? 'api'
    const limits = byGroup.get(group)!
    const client = limits.byClient ? clientKey(clientIp(request)) : ''
    checkInOrder(limits.buckets, bucket => bucket === global ? '' : client, [], decisions => {
      const refused = settle(request, reply, decisions, limits.policy)
      if (refused) settings.rejected?.(group, limitOf(limits.buckets[decisions.length - 1]))
      done(refused)
    }, err => done(err as Error))
  })

  return {
    perUser (request, reply, done) {
      if (!user || !request.identity) return done()
      const group = request.gatewayRoute?.group ?? 'api'
      const policy = byGroup.get(group)!.policyWithUser
      const settled = (u: Decision) => {
        const refused = settle(request, reply, [u], policy)
        if (refused) settings.rejected?.(group, 'user')
        done(refused)
      }
      const d = user.check(request.identity.sub)
      if (d instanceof Promise) d.then(settled, done)
      else settled(d)
    }
  }
}
