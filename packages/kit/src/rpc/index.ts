import type { Http2Session } from 'node:http2'
import Fastify from 'fastify'
import { Code, ConnectError, createContextKey, createContextValues } from '@connectrpc/connect'
import type { ConnectRouter, HandlerContext, Interceptor } from '@connectrpc/connect'
import { fastifyConnectPlugin } from '@connectrpc/connect-fastify'
import type { Logger } from 'pino'
import { isAppError } from '../errors/index.ts'
import type { App } from '../http/index.ts'
import { documentPaths } from '../http/openapi-paths.ts'
import { rpcOpenApiPaths } from './openapi.ts'
import { refuseUnservedContentTypes } from './content-type-guard.ts'
import { answerUnparsableBodies, markReached } from './unparsable-body.ts'

/** Where Connect routes live on a service's HTTP port, and under the gateway. */
export const RPC_PREFIX = '/rpc'

const CODES: Record<number, Code> = {
  400: Code.InvalidArgument,
  401: Code.Unauthenticated,
  403: Code.PermissionDenied,
  404: Code.NotFound,
  409: Code.AlreadyExists,
  410: Code.FailedPrecondition,
  413: Code.InvalidArgument,
  429: Code.ResourceExhausted,
  503: Code.Unavailable,
  504: Code.DeadlineExceeded
}

/**
 * An AppError as a ConnectError: the HTTP status picks the RPC code, and the
 * platform's stable error code travels in the `x-error-code` trailer/header
 * (with `retry-after` when there is one), as it does over REST.
 */
export function toConnectError (err: unknown): ConnectError {
  if (err instanceof ConnectError) return err
  if (!isAppError(err)) return new ConnectError('Internal error', Code.Internal)
  const metadata = new Headers({ 'x-error-code': err.code })
  const retryAfter = err.headers?.['retry-after']
  if (retryAfter) metadata.set('retry-after', retryAfter)
  if (typeof err.extra?.attemptsLeft === 'number') metadata.set('x-attempts-left', String(err.extra.attemptsLeft))
  const code = CODES[err.status] ?? (err.status >= 500 ? Code.Internal : Code.InvalidArgument)
  return new ConnectError(err.status >= 500 ? 'Internal error' : err.detail, code, metadata)
}

function errorInterceptor (log: Logger): Interceptor {
  return next => async (request) => {
    try {
      return await next(request)
    } catch (err) {
      if (!isAppError(err) && !(err instanceof ConnectError)) log.error({ err, rpc: request.url }, 'rpc handler failed')
      throw toConnectError(err)
    }
  }
}

const VOUCHED_IP = createContextKey<string | undefined>(undefined, { description: 'client address from the gateway identity assertion' })

/**
 * The client address the gateway vouched for in its identity assertion (the
 * kit verified it before the handler ran); undefined for a direct caller and
 * on the gRPC port, which the gateway does not use.
 */
export const rpcClientIp = (ctx: HandlerContext): string | undefined => ctx.values.get(VOUCHED_IP)

export interface RpcOptions {
  /** A separate cleartext HTTP/2 port for gRPC clients; unset: no gRPC listener (Connect and gRPC-Web still work). */
  grpcPort?: number | undefined
  host: string
  log: Logger
}

export interface RpcServer {
  /** `http://host:port` of the gRPC listener, when there is one. */
  grpcUrl: string | undefined
  close(): Promise<void>
}

/**
 * Serves Connect RPC routes: the Connect and gRPC-Web protocols on the
 * service's own HTTP/1.1 port under `/rpc`, and all three protocols (gRPC
 * needs HTTP/2) on an optional h2c port at the root, where gRPC tools expect them.
 */
export async function serveRpc (app: App, routes: (router: ConnectRouter) => void, options: RpcOptions): Promise<RpcServer> {
  const interceptors = [markReached, errorInterceptor(options.log)]
  // The plugin's catch-all routes would show every method and no schema.
  documentPaths(app, rpcOpenApiPaths(routes, RPC_PREFIX))
  // A binary body that is not the request message: 400 invalid_argument, not Connect's 500 internal.
  const served = answerUnparsableBodies(routes)
  await app.register(async (scope) => {
    scope.addHook('onRequest', refuseUnservedContentTypes)
    await scope.register(fastifyConnectPlugin, {
      routes: served,
      interceptors,
      contextValues: request => createContextValues().set(VOUCHED_IP, request.identityAssertion?.ip)
    })
  }, { prefix: RPC_PREFIX })
  if (options.grpcPort === undefined) return { grpcUrl: undefined, close: async () => {} }

  const h2 = Fastify({ http2: true, logger: false })
  await h2.register(fastifyConnectPlugin, { routes: served, interceptors })
  // gRPC clients keep their HTTP/2 session open; closing must end them rather than wait for them.
  const sessions = new Set<Http2Session>()
  h2.server.on('session', (session: Http2Session) => {
    sessions.add(session)
    session.once('close', () => sessions.delete(session))
  })
  await h2.listen({ host: options.host, port: options.grpcPort })
  const address = h2.server.address()
  const port = typeof address === 'object' && address ? address.port : options.grpcPort
  return {
    grpcUrl: `http://${options.host === '0.0.0.0' ? '127.0.0.1' : options.host}:${port}`,
    async close () {
      for (const session of sessions) session.close()
      const closing = h2.close()
      // Sessions that do not finish their streams in time are cut.
      const timer = setTimeout(() => { for (const session of sessions) session.destroy() }, 2000)
      await closing
      clearTimeout(timer)
    }
  }
}
