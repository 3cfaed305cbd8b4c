import { Readable } from 'node:stream'
import type { IncomingHttpHeaders } from 'node:http'
import type { FastifyReply, FastifyRequest } from 'fastify'
import type { Dispatcher } from 'undici'
import type { App } from '@app/kit/http'
import { sendProblem } from '@app/kit/http'
import { KitErrors } from '@app/kit/errors'
import { connectionFailure, INSTANCE_DRAINING_HEADER, isClosingAnswer, isDrainingAnswer, notSent } from '@app/kit/client'
import { clientResponseHeaders, upstreamRequestHeaders } from './forward-headers.ts'
import { inUpstreamSpan } from './upstream-span.ts'
import type { TraceContextTrust, Tracing } from '@app/kit/tracing'
import { dropsTraceContext } from './trace-context-trust.ts'
import { withIdentity } from './identity-headers.ts'
import type { AssertionSettings } from './identity-headers.ts'
import { endAfterAnswer, readBodyWithin } from './request-body.ts'
import { resetHttp2StreamOnError } from './http2-body-errors.ts'
import type { RouteEntry } from './routes.ts'
import { unroutedRefusal } from './routing.ts'
import { createUpstreamDispatchers } from './upstream-dispatchers.ts'
import type { UpstreamDispatchers } from './upstream-dispatchers.ts'
import { createExchanges } from './upstream-exchange.ts'
import type { Exchange, Exchanges, Outcome } from './upstream-exchange.ts'
import type { UpstreamPool } from './upstream-pool.ts'
import { registerWaitingMetric, upstreamCancellations } from './upstream-status.ts'

// Safe to send a second time when the first instance may have processed it;
// any method goes elsewhere when the first never received it.
const IDEMPOTENT_METHODS = new Set(['GET', 'HEAD', 'OPTIONS', 'PUT', 'DELETE'])
// The instance refused, dropped or never completed the connection. A 5xx answer
// or a response timeout is not in here: those come from a live instance.
const CONNECTION_FAILURES = new Set([
  'ECONNREFUSED', 'ECONNRESET', 'EPIPE', 'EHOSTUNREACH', 'ENETUNREACH', 'ENOTFOUND', 'EAI_AGAIN',
  'UND_ERR_SOCKET', 'UND_ERR_CONNECT_TIMEOUT', 'UND_ERR_CLOSED'
])
const TIMEOUTS = new Set(['UND_ERR_HEADERS_TIMEOUT', 'UND_ERR_BODY_TIMEOUT', 'timed out'])

declare module 'fastify' {
  interface FastifyRequest {
    /** Where the proxy is sending this request; null before the proxy handler runs. */
    upstreamAttempt: UpstreamAttempt | null
  }
}

export interface UpstreamAttempt {
  /** The upstream pool's name (a service, or an extra upstream). */
  pool: string
  /** The instance (base URL) this request is at now. */
  upstream: string
  /** The path and query the instance receives. */
  dest: string
  /** The instances this request went to so far. */
  tried: Set<string>
  /** Held whole so the request can go to another instance. */
  body: Buffer | undefined
}

export interface ProxySettings {
  /** The client's address as the gateway's trusted-proxy rules resolve it; passed to services in the identity assertion. */
  clientIpOf: (request: FastifyRequest) => string
  pools: ReadonlyMap<string, UpstreamPool>
  /**
   * GATEWAY_UPSTREAM_TIMEOUT_MS: one deadline per request for a connection to
   * an instance and its answer's head, retries included; then each pause in the body.
   */
  timeoutMs: number
  /** GATEWAY_UPSTREAM_CONNECTIONS: connections open to one instance at most. */
  connections: number
  /** Signs the identity assertion each upstream request carries. */
  assertions: AssertionSettings
  /** A client span per attempt when on, its `traceparent` sent to the instance. */
  tracing?: Tracing
  /**
   * Whether a client's own `traceparent` and `tracestate` go on to the
   * instance (GATEWAY_TRUST_TRACE_CONTEXT); tracing on or off, a client not
   * trusted with them has them left out.
   */
  trustsTraceContext: TraceContextTrust
}

const hosts = new Map<string, string>()
/** `host:port` of an instance's base URL, parsed once. */
function hostOf (url: string): string {
  let host = hosts.get(url)
  if (host === undefined) {
    host = new URL(url).host
    if (hosts.size > 10_000) hosts.clear()
    hosts.set(url, host)
  }
  return host
}

/** `release` runs at most once, whichever of the answer's end, a failure or an abort comes first. */
function once (release: () => void): () => void {
  let released = false
  return () => {
    if (released) return
    released = true
    release()
  }
}

/**
 * Sends requests under one route entry to an instance of its pool over a
 * kept-alive connection, and its answer back as it streams. On a connection
 * failure, or a 503 from an instance that is closing, marks the instance down
 * and sends the request to another when that is safe. A 4xx, or a connection
 * broken after the request was sent, never takes an instance out by itself: a
 * readiness probe decides.
 */
function forwarder (entry: RouteEntry, pool: UpstreamPool, dispatchers: UpstreamDispatchers, exchanges: Exchanges, settings: ProxySettings) {
  const { prefix, upstream: poolName } = entry
  const rewritePrefix = entry.rewritePrefix ?? prefix
  // The pool is named after a service or is an extra upstream; the assertion is for the service it runs.
  const service = entry.service ?? poolName
  const tracing = settings.tracing?.enabled ? settings.tracing : undefined

  // A rewrite to the root keeps the rest's own leading slash, never doubling it.
  const upstreamBase = rewritePrefix === '/' ? '' : rewritePrefix
  const destOf = (url: string) => {
    const dest = upstreamBase + url.slice(prefix.length)
    return dest[0] === '/' ? dest : `/${dest}`
  }

  /** An instance this request has not been to, if there is one. */
  const untried = (attempt: UpstreamAttempt): string | undefined => {
    const next = pool.pick(attempt.tried)
    return attempt.tried.has(next) ? undefined : next
  }

  const dispatch = (request: FastifyRequest, attempt: UpstreamAttempt, exchange: Exchange, headers: IncomingHttpHeaders): Promise<Outcome> =>
    exchange.dispatch(dispatchers.of(attempt.upstream), { path: attempt.dest, method: request.method as Dispatcher.HttpMethod, headers, body: attempt.body })

  const send = (request: FastifyRequest, attempt: UpstreamAttempt, exchange: Exchange, base: IncomingHttpHeaders): Promise<Outcome> => {
    // A fresh assertion per attempt, naming this request's id; the instance as host.
    const headers = withIdentity({ ...base, host: hostOf(attempt.upstream) }, request, service, settings.clientIpOf(request), settings.assertions)
    return tracing
      ? inUpstreamSpan(tracing, request.method, service, headers, () => dispatch(request, attempt, exchange, headers))
      : dispatch(request, attempt, exchange, headers)
  }

  /** The instance to try next after `failed`, or undefined after answering the problem. */
  const afterFailure = (request: FastifyRequest, reply: FastifyReply, attempt: UpstreamAttempt, failed: unknown): string | undefined => {
    const failure = connectionFailure(failed)
    if (CONNECTION_FAILURES.has(failure)) {
      const received = !notSent(failure)
      if (received) {
        pool.suspect(attempt.upstream)
      } else if (pool.markDown(attempt.upstream)) {
        request.log.warn({ upstream: poolName, instance: attempt.upstream, failure }, 'upstream instance marked down')
      }
      const next = !received || IDEMPOTENT_METHODS.has(request.method) ? untried(attempt) : undefined
      if (next) return next
    }
    const problem = TIMEOUTS.has(failure)
      ? KitErrors.upstream_timeout(`The ${service} service did not answer in time`)
      // Sent, and the connection broke without an answer: it may have been processed.
      : CONNECTION_FAILURES.has(failure) && !notSent(failure)
        ? KitErrors.bad_gateway(`The ${service} service broke the connection without answering`)
        : KitErrors.unavailable(`The ${service} service is unavailable`)
    // Not `service` (the gateway's own log field) nor `code` (redacted, as OTP codes are).
    request.log.warn({ upstream: poolName, instance: attempt.upstream, failure }, 'upstream failed')
    sendProblem(request, reply, problem)
    return undefined
  }

  return async function forward (request: FastifyRequest, reply: FastifyReply): Promise<FastifyReply> {
    const unrouted = unroutedRefusal(request)
    if (unrouted) return sendProblem(request, reply, unrouted)
    let body: Buffer | undefined
    if (request.body instanceof Readable) {
      const limit = request.routeOptions.bodyLimit
      const read = await readBodyWithin(request.body, request.headers['content-length'], limit)
      if (read === 'too-large') {
        endAfterAnswer(request, reply)
        return sendProblem(request, reply, KitErrors.payload_too_large(`The request body is larger than ${limit} bytes`))
      }
      body = read
    }
    const first = pool.pick()
    const attempt: UpstreamAttempt = { pool: poolName, upstream: first, dest: destOf(request.url), tried: new Set([first]), body }
    request.upstreamAttempt = attempt
    const base = upstreamRequestHeaders(request.headers, '', body?.length, dropsTraceContext(request.raw, settings.trustsTraceContext))
    // One deadline from here to the answer's head, whatever the attempts; the client leaving cancels it.
    const exchange = exchanges.start(poolName)
    reply.raw.on('close', exchange.clientClosed)

    try {
      for (;;) {
        const done = once(pool.begin(attempt.upstream))
        const outcome = await send(request, attempt, exchange, base)
        if ('failed' in outcome) {
          done()
          // Nobody to answer; the instance saw its connection close (or never got the request).
          if (exchange.cancelled === 'client_closed') return reply
          const next = afterFailure(request, reply, attempt, outcome.failed)
          if (!next) return reply
          attempt.upstream = next
          attempt.tried.add(next)
          continue
        }
        const res = outcome.sent
        if (isClosingAnswer({ status: res.statusCode, headers: res.headers })) {
          if (pool.markDown(attempt.upstream)) request.log.info({ upstream: poolName, instance: attempt.upstream }, 'upstream instance closing')
          const next = untried(attempt)
          if (next) {
            // Read to its end (a closing instance's 503 is short), keeping the connection.
            res.body.on('error', () => {}).once('close', done).resume()
            attempt.upstream = next
            attempt.tried.add(next)
            continue
          }
        } else if (isDrainingAnswer(res.headers)) {
          // Served, but the instance is leaving: nothing new goes there (a probe brings back its successor).
          if (pool.markDown(attempt.upstream)) request.log.info({ upstream: poolName, instance: attempt.upstream }, 'upstream instance draining')
          delete res.headers[INSTANCE_DRAINING_HEADER]
        } else {
          pool.markUp(attempt.upstream)
        }
        res.body.once('close', done)
        if (request.raw.aborted) {
          // The client left as the instance answered: nobody reads this body (destroying it aborts the request).
          res.body.on('error', () => {}).destroy()
          return reply
        }
        reply.code(res.statusCode).headers(clientResponseHeaders(res.headers))
        resetHttp2StreamOnError(request, res.body)
        return reply.send(res.body)
      }
    } finally {
      // Its head is in, or it was answered: off the deadline list.
      exchanges.finish(exchange)
    }
  }
}

/** Forwards each public prefix to an instance of its pool, with the request id, an identity assertion, a timeout, and problems for failures. */
export async function registerProxies (app: App, routes: RouteEntry[], settings: ProxySettings): Promise<void> {
  app.decorateRequest('upstreamAttempt', null)
  const dispatchers = createUpstreamDispatchers(settings.timeoutMs, settings.connections)
  const exchanges = createExchanges({ timeoutMs: settings.timeoutMs, counted: upstreamCancellations(app.metricsRegistry) })
  registerWaitingMetric(app.metricsRegistry, () => settings.pools.keys(), () => exchanges.waiting())
  app.addHook('onClose', async () => {
    exchanges.close()
    await dispatchers.close()
  })
  const handlers = routes.map(entry => {
    const pool = settings.pools.get(entry.upstream)
    if (!pool) throw new Error(`no upstream pool named ${entry.upstream}`)
    return { entry, pool }
  })
  // Instances discovery dropped: their connection pools go (checked now and then, not per request).
  const pruning = setInterval(() => dispatchers.retain([...settings.pools.values()].flatMap(pool => pool.urls)), 30_000)
  pruning.unref()
  app.addHook('onClose', async () => clearInterval(pruning))

  await app.register(async (scope) => {
    // Bodies go on as the client sent them, never parsed here: the service validates them.
    scope.removeAllContentTypeParsers()
    scope.addContentTypeParser('*', (_request, payload, done) => done(null, payload))
    for (const { entry, pool } of handlers) {
      const handler = forwarder(entry, pool, dispatchers, exchanges, settings)
      const prefix = entry.prefix.replace(/\/+$/, '')
      if (prefix) scope.all(prefix, { schema: { hide: true } }, handler)
      scope.all(`${prefix}/*`, { schema: { hide: true } }, handler)
    }
  })
}
