import { Readable } from 'node:stream'
import { buffer } from 'node:stream/consumers'
import proxy from '@fastify/http-proxy'
import type { FastifyHttpProxyOptions } from '@fastify/http-proxy'
import type { FastifyReply, FastifyRequest } from 'fastify'
import type { App } from '@app/kit/http'
import { sendProblem } from '@app/kit/http'
import { KitErrors } from '@app/kit/errors'
import type { ServiceName } from '@app/kit/service'
import { CLIENT_IP_HEADERS, clientIpHeaders } from '@app/kit/http'
import { withIdentity } from './identity-headers.ts'
import type { UpstreamPool } from './upstream-pool.ts'
import type { Upstream } from './upstreams.ts'

type ReplyOptions = NonNullable<FastifyHttpProxyOptions['replyOptions']>
interface ProxyError { statusCode?: number, code?: string, cause?: { code?: string } }

// Safe to send to a second instance when the first could not be reached; POST and PATCH never are.
const RETRYABLE_METHODS = new Set(['GET', 'HEAD', 'OPTIONS', 'PUT', 'DELETE'])
// The instance refused, dropped or never completed the connection. A 5xx answer
// or a response timeout is not in here: those come from a live instance.
const CONNECTION_FAILURES = new Set([
  'ECONNREFUSED', 'ECONNRESET', 'EPIPE', 'EHOSTUNREACH', 'ENETUNREACH', 'ENOTFOUND', 'EAI_AGAIN',
  'UND_ERR_SOCKET', 'UND_ERR_CONNECT_TIMEOUT', 'UND_ERR_CLOSED'
])

/** reply-from wraps the undici error; its own code or its cause's says what happened. */
function isConnectionFailure (error: ProxyError): boolean {
  return CONNECTION_FAILURES.has(error.code ?? '') || CONNECTION_FAILURES.has(error.cause?.code ?? '')
}

const failureOf = (error: ProxyError) => error.cause?.code ?? error.code

function upstreamError (reply: FastifyReply, error: ProxyError, service: string) {
  const request = reply.request
  const timedOut = !isConnectionFailure(error) && (error.statusCode === 504 || /TIMEOUT/.test(error.code ?? ''))
  const problem = timedOut
    ? KitErrors.upstream_timeout(`The ${service} service did not answer in time`)
    : KitErrors.unavailable(`The ${service} service is unavailable`)
  // Not `service` (the gateway's own log field) nor `code` (redacted, as OTP codes are).
  request.log.warn({ upstream: service, failure: failureOf(error) }, 'upstream failed')
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
  retried: boolean
  /**
   * `undefined`: no body, so the request can be sent again as it is. A Buffer:
   * the body, held to be sent again (undici destroys a streamed body when the
   * connection fails). `false`: never sent twice.
   */
  body: Buffer | undefined | false
}

/**
 * Held in memory only for a retryable method with a declared length within
 * the body limit; any other body streams through once, as before.
 */
function replayable (request: FastifyRequest): 'no-body' | 'buffer' | false {
  if (!RETRYABLE_METHODS.has(request.method)) return false
  if (!(request.body instanceof Readable)) return 'no-body'
  const length = Number(request.headers['content-length'])
  return Number.isInteger(length) && length <= request.routeOptions.bodyLimit ? 'buffer' : false
}

/**
 * reply.from to one instance; on a connection failure, marks it down and tries
 * one other when that is safe. Nothing is allocated per request beyond the
 * attempt: this runs for every proxied request.
 */
function forwarder (service: ServiceName, pool: UpstreamPool) {
  // http-proxy passes the same reply options every time, bar a getUpstream
  // closure; ours reads the attempt instead, so one object serves every request.
  let fixed: ReplyOptions | undefined

  const send = (reply: FastifyReply, attempt: UpstreamAttempt): FastifyReply => reply.from(attempt.dest, attempt.body
    ? { ...fixed, body: attempt.body, contentType: reply.request.headers['content-type'] ?? 'application/octet-stream' }
    : fixed)

  const getUpstream: ReplyOptions['getUpstream'] = (request) => request.upstreamAttempt!.upstream

  const onError: ReplyOptions['onError'] = (failed, { error }) => {
    const reply = failed as unknown as FastifyReply
    const attempt = reply.request.upstreamAttempt!
    const failure = error as ProxyError
    const { upstream } = attempt
    if (isConnectionFailure(failure)) {
      if (pool.markDown(upstream)) reply.request.log.warn({ upstream: service, instance: upstream, failure: failureOf(failure) }, 'upstream instance marked down')
      const next = attempt.body !== false && !attempt.retried ? pool.pick(upstream) : upstream
      if (next !== upstream) {
        attempt.upstream = next
        attempt.retried = true
        send(reply, attempt)
        return
      }
    }
    upstreamError(reply, failure, service)
  }

  return (request: FastifyRequest, reply: FastifyReply, dest: string, options: ReplyOptions) => {
    fixed ??= { ...options, getUpstream, onError }
    // http-proxy already asked getUpstream (below) for this request's instance.
    const attempt: UpstreamAttempt = { upstream: options.getUpstream?.(request, '') ?? pool.pick(), dest, retried: false, body: undefined }
    request.upstreamAttempt = attempt
    const mode = replayable(request)
    if (mode !== 'buffer') {
      attempt.body = mode === 'no-body' ? undefined : false
      return send(reply, attempt)
    }
    return buffer(request.body as Readable).then(body => {
      attempt.body = body
      return send(reply, attempt)
    })
  }
}

export interface ProxySettings {
  /** The client's address as the gateway's trusted-proxy rules resolve it; passed to services signed. */
  clientIpOf: (request: FastifyRequest) => string
  pools: ReadonlyMap<ServiceName, UpstreamPool>
  timeoutMs: number
  serviceSecret: string | undefined
}

/** Forwards each public prefix to an instance of its service, with the request id, a timeout, and problems for failures. */
export async function registerProxies (app: App, upstreams: Upstream[], settings: ProxySettings) {
  const { timeoutMs, serviceSecret } = settings
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
      undici: { connections: 128, pipelining: 1, headersTimeout: timeoutMs, bodyTimeout: timeoutMs, keepAliveTimeout: 30_000 },
      replyOptions: {
        getUpstream: () => pool.pick(),
        // The identity headers come from the verified token or not at all.
        // reply-from hands over a copy of the client's headers: changed in place.
        rewriteRequestHeaders: (request, headers) => {
          withIdentity(headers, request.identity, serviceSecret)
          for (const name of CLIENT_IP_HEADERS) delete headers[name]
          if (serviceSecret) Object.assign(headers, clientIpHeaders(settings.clientIpOf(request as FastifyRequest), serviceSecret))
          headers['x-request-id'] = String(request.id)
          return headers
        }
      },
      handler: forwarder(service, pool)
    })
  }
}
