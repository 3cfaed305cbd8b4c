import proxy from '@fastify/http-proxy'
import type { FastifyReply } from 'fastify'
import type { App } from '@app/kit/http'
import { sendProblem } from '@app/kit/http'
import { KitErrors } from '@app/kit/errors'
import { withIdentity } from './identity-headers.ts'
import type { Upstream } from './upstreams.ts'

function upstreamError (reply: FastifyReply, error: { statusCode?: number, code?: string }, service: string) {
  const request = reply.request
  const timedOut = error.statusCode === 504 || /TIMEOUT/.test(error.code ?? '')
  const problem = timedOut
    ? KitErrors.upstream_timeout(`The ${service} service did not answer in time`)
    : KitErrors.unavailable(`The ${service} service is unavailable`)
  request.log.warn({ service, code: error.code }, 'upstream failed')
  return sendProblem(request, reply, problem)
}

/** Forwards each public prefix to its service, with the request id, a timeout, and problems for failures. */
export async function registerProxies (app: App, upstreams: Upstream[], urlOf: (service: Upstream['service']) => string, timeoutMs: number, serviceSecret: string | undefined) {
  for (const { prefix, service } of upstreams) {
    await app.register(proxy, {
      upstream: urlOf(service),
      prefix,
      rewritePrefix: prefix,
      undici: { connections: 128, pipelining: 1, headersTimeout: timeoutMs, bodyTimeout: timeoutMs, keepAliveTimeout: 30_000 },
      replyOptions: {
        // The identity headers come from the verified token or not at all.
        rewriteRequestHeaders: (request, headers) => ({ ...withIdentity(headers, request.identity, serviceSecret), 'x-request-id': String(request.id) }),
        onError: (reply, { error }) => upstreamError(reply as unknown as FastifyReply, error as { statusCode?: number, code?: string }, service)
      }
    })
  }
}
