import { posix } from 'node:path'
import rateLimit, { normalizeIP } from '@fastify/rate-limit'
import proxyAddr from '@fastify/proxy-addr'
import type { FastifyReply, FastifyRequest } from 'fastify'
import { ConfigError } from '@app/kit/config'
import { KitErrors } from '@app/kit/errors'
import type { App } from '@app/kit/http'
import type { RateLimitStore } from './rate-limit-store.ts'
import { storeConstructor } from './rate-limit-store.ts'

export interface RateLimitSettings {
  /** Per client IP per minute over every route (already including any burst allowance). */
  perMinute: number
  /** Per client IP per minute on routes that guess passwords, codes or accounts. */
  sensitivePerMinute: number
  /** Per authenticated user (token `sub`) per minute. */
  userPerMinute: number
  trustedProxies: string[]
  store: RateLimitStore
}

const WINDOW_MS = 60_000
// Probes must never be starved by a client's traffic.
const EXEMPT = new Set(['/healthz', '/readyz'])
const SENSITIVE_EXACT = new Set(['/api/v1/auth/login', '/api/v1/users/register', '/api/v1/password/forgot', '/api/v1/password/reset', '/api/v1/email-verification/send', '/api/v1/auth/mfa/verify'])
const SENSITIVE_PREFIXES = ['/api/v1/otp/', '/api/v1/auth/phone/', '/rpc/auth.v1.authservice/', '/rpc/otp.v1.otpservice/']

/**
 * The path as the upstream router will understand it, so that `/api/v1/auth/login/`,
 * `//api/v1/auth/%6Cogin` or `/api/v1/users/../auth/login` cannot slip past the stricter limit.
 */
export function routePath (url: string): string {
  const raw = url.split('?')[0] ?? ''
  let path = raw
  try { path = decodeURIComponent(raw) } catch {}
  path = posix.normalize(`/${path}`).replace(/\/+$/, '')
  return (path || '/').toLowerCase()
}

export function isSensitive (url: string): boolean {
  return isSensitivePath(routePath(url))
}

function isSensitivePath (path: string): boolean {
  return SENSITIVE_EXACT.has(path) || SENSITIVE_PREFIXES.some(p => path.startsWith(p) || `${path}/` === p)
}

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

type Limiter = ReturnType<App['createRateLimit']>
type Outcome = Extract<Awaited<ReturnType<Limiter>>, { isAllowed: false }>

/** Sends the tightest limit's headers; over a limit, answers 429 `rate_limited`. */
function apply (reply: FastifyReply, outcomes: Outcome[]): void {
  if (outcomes.length === 0) return
  const exceeded = outcomes.find(o => o.isExceeded)
  const shown = exceeded ?? outcomes.reduce((a, b) => (b.remaining < a.remaining ? b : a))
  const previous = Number(reply.getHeader('ratelimit-remaining') ?? Infinity)
  if (!exceeded && shown.remaining >= previous) return
  const headers = {
    'ratelimit-limit': String(shown.max),
    'ratelimit-remaining': String(exceeded ? 0 : shown.remaining),
    'ratelimit-reset': String(shown.ttlInSeconds)
  }
  if (!exceeded) {
    reply.headers(headers)
    return
  }
  const retryAfter = String(Math.max(1, shown.ttlInSeconds))
  throw KitErrors.rate_limited({
    detail: `Too many requests; retry in ${retryAfter} seconds`,
    headers: { ...headers, 'retry-after': retryAfter }
  })
}

async function check (request: FastifyRequest, limiter: Limiter): Promise<Outcome | undefined> {
  const outcome = await limiter(request)
  return outcome.isAllowed ? undefined : outcome
}

/**
 * Fixed one-minute windows per client IP (all routes, and a stricter one on
 * sensitive routes) and per user. Returns the per-user hook, which must run
 * after the token was verified.
 */
export async function installRateLimits (app: App, settings: RateLimitSettings) {
  const clientIp = clientIpResolver(settings.trustedProxies)
  const ipKey = (request: FastifyRequest) => normalizeIP(clientIp(request))
  // Limits are applied from our own hooks (below), not per route: the proxy's
  // routes are wildcards, and one request can be subject to several limits.
  await app.register(rateLimit, { global: false, store: storeConstructor(settings.store), skipOnError: false })
  const limiters = {
    ip: app.createRateLimit({ max: settings.perMinute, timeWindow: WINDOW_MS, keyGenerator: r => `ip:${ipKey(r)}` }),
    sensitive: app.createRateLimit({ max: settings.sensitivePerMinute, timeWindow: WINDOW_MS, keyGenerator: r => `sensitive:${ipKey(r)}` }),
    user: app.createRateLimit({ max: settings.userPerMinute, timeWindow: WINDOW_MS, keyGenerator: r => `user:${r.identity?.sub ?? ''}` })
  }

  app.addHook('onRequest', async (request, reply) => {
    const path = routePath(request.url)
    if (EXEMPT.has(path)) return
    // Counted side by side: on a sensitive route neither waits for the other.
    const outcomes = await Promise.all(isSensitivePath(path)
      ? [check(request, limiters.ip), check(request, limiters.sensitive)]
      : [check(request, limiters.ip)])
    apply(reply, outcomes.filter(o => o !== undefined))
  })

  return {
    perUser: async (request: FastifyRequest, reply: FastifyReply) => {
      if (!request.identity) return
      const outcome = await check(request, limiters.user)
      if (outcome) apply(reply, [outcome])
    }
  }
}
