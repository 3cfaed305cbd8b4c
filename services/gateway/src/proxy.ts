import { Readable } from 'node:stream'
import proxy from '@fastify/http-proxy'
import type { FastifyHttpProxyOptions } from '@fastify/http-proxy'
import type { FastifyReply, FastifyRequest } from 'fastify'
import type { App } from '@app/kit/http'
import { sendProblem } from '@app/kit/http'
import { KitErrors } from '@app/kit/errors'
import { connectionFailure, INSTANCE_DRAINING_HEADER, isClosingAnswer, isDrainingAnswer, notSent } from '@app/kit/client'
import type { ServiceName } from '@app/kit/service'
import { withIdentity } from './identity-headers.ts'
import type { AssertionSettings } from './identity-headers.ts'
import { readBodyWithin } from './request-body.ts'
import type { UpstreamPool } from './upstream-pool.ts'
import type { Upstream } from './upstreams.ts'

type ReplyOptions = NonNullable<FastifyHttpProxyOptions['replyOptions']>
// What reply-from hands onResponse (its type declaration says a server response).
interface UpstreamResponse { statusCode: number, headers: Record<string, string | string[] | undefined>, stream: Readable }
interface ProxyError { statusCode?: number, code?: string, cause?: { code?: string } }

// Safe to send a second time when the first instance may have processed it;
// any method goes elsewhere when the first never received it.
const IDEMPOTENT_METHODS = new Set(['GET', 'HEAD', 'OPTIONS', 'PUT', 'DELETE'])
// The instance refused, dropped or never completed the connection. A 5xx answer
// or a response timeout is not in here: those come from a live instance.
const CONNECTION_FAILURES = new Set([
  'ECONNREFUSED', 'ECONNRESET', 'EPIPE', 'EHOSTUNREACH', 'ENETUNREACH', 'ENOTFOUND', 'EAI_AGAIN',
  'UND_ERR_SOCKET', 'UND_ERR_CONNECT_TIMEOUT', 'UND_ERR_CLOSED'
])

/** reply-from wraps the undici error; its cause's code (or its own) says what happened. */
const failureOf = (error: ProxyError) => connectionFailure(error.cause ?? error)

function upstreamError (reply: FastifyReply, error: ProxyError, service: string) {
  const request = reply.request
  const failure = failureOf(error)
  const timedOut = !CONNECTION_FAILURES.has(failure) && (error.statusCode === 504 || /TIMEOUT/.test(error.code ?? ''))
  const problem = timedOut
    ? KitErrors.upstream_timeout(`The ${service} service did not answer in time`)
    : KitErrors.unavailable(`The ${service} service is unavailable`)
  // Not `service` (the gateway's own log field) nor `code` (redacted, as OTP codes are).
  request.log.warn({ upstream: service, failure }, 'upstream failed')
  return sendProblem(request, reply, problem)
}

declare module 'fastify' {
  interface FastifyRequest {
    /** Where the proxy is sending this request; null before the proxy handler runs. */
    upstreamAttempt: UpstreamAttempt | null
  }
}

interface UpstreamAttempt {
  upstream: string
  dest: string
  /** The instances this request went to so far. */
  tried: Set<string>
  /** Held so the request can go to another instance (undici destroys a streamed body when the connection fails). */
  body: Buffer | undefined
}

/**
 * reply.from to one instance; on a connection failure, or a 503 from an
 * instance that is closing, marks it down and sends the request to another
 * when that is safe. A 4xx, or a connection broken after the request was sent
 * (a 413 and a close, say), never takes an instance out by itself: a readiness
 * probe decides.
 */
function forwarder (service: ServiceName, pool: UpstreamPool) {
  // http-proxy passes the same reply options every time, bar a getUpstream
  // closure; ours reads the attempt instead, so one object serves every request.
  let fixed: ReplyOptions | undefined

  const send = (reply: FastifyReply, attempt: UpstreamAttempt): FastifyReply => reply.from(attempt.dest, attempt.body
    ? { ...fixed, body: attempt.body, contentType: reply.request.headers['content-type'] ?? 'application/octet-stream' }
    : fixed)

  /** An instance this request has not been to, if there is one. */
  const untried = (attempt: UpstreamAttempt): string | undefined => {
    const next = pool.pick(attempt.tried)
    return attempt.tried.has(next) ? undefined : next
  }

  const resend = (reply: FastifyReply, attempt: UpstreamAttempt, next: string) => {
    attempt.upstream = next
    attempt.tried.add(next)
    send(reply, attempt)
  }

  const getUpstream: ReplyOptions['getUpstream'] = (request) => request.upstreamAttempt!.upstream

  const onError: ReplyOptions['onError'] = (failed, { error }) => {
    const reply = failed as unknown as FastifyReply
    const attempt = reply.request.upstreamAttempt!
    const failure = failureOf(error as ProxyError)
    if (CONNECTION_FAILURES.has(failure)) {
      const received = !notSent(failure)
      if (received) {
        pool.suspect(attempt.upstream)
      } else if (pool.markDown(attempt.upstream)) {
        reply.request.log.warn({ upstream: service, instance: attempt.upstream, failure }, 'upstream instance marked down')
      }
      const next = !received || IDEMPOTENT_METHODS.has(reply.request.method) ? untried(attempt) : undefined
      if (next) return resend(reply, attempt, next)
    }
    upstreamError(reply, error as ProxyError, service)
  }

  const onResponse = (request: FastifyRequest, reply: FastifyReply, res: UpstreamResponse) => {
    const attempt = request.upstreamAttempt!
    if (isClosingAnswer({ status: res.statusCode, headers: res.headers })) {
      if (pool.markDown(attempt.upstream)) request.log.info({ upstream: service, instance: attempt.upstream }, 'upstream instance closing')
      const next = untried(attempt)
      if (next) {
        res.stream.resume()
        // reply-from copied the 503's headers onto the reply already.
        for (const name of Object.keys(res.headers)) reply.removeHeader(name)
        return resend(reply, attempt, next)
      }
    } else if (isDrainingAnswer(res.headers)) {
      // Served, but the instance is leaving: nothing new goes there (a probe brings back its successor).
      if (pool.markDown(attempt.upstream)) request.log.info({ upstream: service, instance: attempt.upstream }, 'upstream instance draining')
      reply.removeHeader(INSTANCE_DRAINING_HEADER)
    } else {
      pool.markUp(attempt.upstream)
    }
    reply.send(res.stream)
  }

  return async (request: FastifyRequest, reply: FastifyReply, dest: string, options: ReplyOptions) => {
    fixed ??= { ...options, getUpstream, onError, onResponse: onResponse as unknown as ReplyOptions['onResponse'] }
    // http-proxy already asked getUpstream (below) for this request's instance.
    const upstream = options.getUpstream?.(request, '') ?? pool.pick()
    const attempt: UpstreamAttempt = { upstream, dest, tried: new Set([upstream]), body: undefined }
    request.upstreamAttempt = attempt
    if (request.body instanceof Readable) {
      const body = await readBodyWithin(request.body, request.headers['content-length'], request.routeOptions.bodyLimit)
      if (body === 'too-large') {
        // The client may still be sending; the connection cannot carry another request after this one.
        if (request.headers['content-length'] === undefined) reply.header('connection', 'close')
        return sendProblem(request, reply, KitErrors.payload_too_large(`The request body is larger than ${request.routeOptions.bodyLimit} bytes`))
      }
      attempt.body = body
    }
    return send(reply, attempt)
  }
}

// Services close a keep-alive connection after 5 s idle. Dropping ours well
// before that keeps the gateway from sending a request on a connection the
// service is closing at that moment, even when a busy event loop runs this
// process's timers late (such a POST could not safely be sent again).
const IDLE_CONNECTION_MS = 2000

export interface ProxySettings {
  /** The client's address as the gateway's trusted-proxy rules resolve it; passed to services in the identity assertion. */
  clientIpOf: (request: FastifyRequest) => string
  pools: ReadonlyMap<ServiceName, UpstreamPool>
  timeoutMs: number
  /** Signs the identity assertion each upstream request carries. */
  assertions: AssertionSettings
}

/** Forwards each public prefix to an instance of its service, with the request id, a timeout, and problems for failures. */
export async function registerProxies (app: App, upstreams: Upstream[], settings: ProxySettings) {
  const { timeoutMs, assertions } = settings
  app.decorateRequest('upstreamAttempt', null)
  for (const { prefix, service } of upstreams) {
    const pool = settings.pools.get(service)
    if (!pool) throw new Error(`no upstream pool for the ${service} service`)
    await app.register(proxy, {
      // No fixed upstream: getUpstream picks an instance per request.
      upstream: '',
      prefix,
      rewritePrefix: prefix,
      // Only the forwarder retries, and only connection failures: by default
      // reply-from would also replay a GET answered 503 up to ten times.
      retryMethods: [],
      // The kit writes one access line per request; reply-from would add two more.
      disableRequestLogging: true,
      undici: { connections: 128, pipelining: 1, headersTimeout: timeoutMs, bodyTimeout: timeoutMs, keepAliveTimeout: IDLE_CONNECTION_MS, keepAliveMaxTimeout: IDLE_CONNECTION_MS },
      replyOptions: {
        getUpstream: () => pool.pick(),
        // The identity comes from the verified token or not at all; a fresh
        // assertion per attempt. reply-from hands over a copy of the client's headers: changed in place.
        rewriteRequestHeaders: (request, headers) =>
          withIdentity(headers, request as FastifyRequest, service, settings.clientIpOf(request as FastifyRequest), assertions)
      },
      handler: forwarder(service, pool)
    })
  }
}
