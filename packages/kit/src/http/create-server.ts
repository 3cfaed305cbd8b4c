import Fastify, { LogController } from 'fastify'
import type { FastifyInstance, FastifyBaseLogger, FastifyRequest, RawServerDefault, RawRequestDefaultExpression, RawReplyDefaultExpression } from 'fastify'
import swagger from '@fastify/swagger'
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox'
import type { Logger } from 'pino'
import { installErrorHandling } from './error-handler.ts'
import { installHealthRoutes } from './health.ts'
import { installDraining } from './draining.ts'
import type { ReadinessCheck } from './health.ts'
import { installCaller } from './caller.ts'
import { protectInternalRoutes } from './internal-auth.ts'
import { ProblemSchema } from './problem.ts'
import { completeOpenApi } from './openapi-paths.ts'
import { requestIdFrom } from './request-id.ts'
import { validatorCompiler } from './validation.ts'
import { refuseUnstorableText } from './unstorable-text.ts'
import { answerFrameworkError } from './framework-errors.ts'
import { answerClientError } from './client-errors.ts'
import { httpsServerOptions, installHttpsLifecycle } from './tls.ts'
import type { TlsCredentials } from './tls.ts'
import { emptyKeyring } from '../keys/index.ts'
import type { ServiceKeys } from '../keys/index.ts'
import { createMetricsRegistry, installHttpMetrics, routePattern } from '../metrics/http-metrics.ts'
import { redactUrl } from '../log/redact-url.ts'
import type { Registry } from '../metrics/http-metrics.ts'
import { installServerSpans, tracedChildLogger } from '../tracing/server-spans.ts'
import type { Tracing } from '../tracing/tracing.ts'

export type App = FastifyInstance<RawServerDefault, RawRequestDefaultExpression, RawReplyDefaultExpression, FastifyBaseLogger, TypeBoxTypeProvider>

export interface ServerOptions {
  /** Service name: metrics label, OpenAPI title, log field. */
  name: string
  description?: string
  log: Logger
  bodyLimit: number
  readiness?: ReadinessCheck[]
  metrics?: boolean
  /** The internal-call and identity keyrings (`/internal/*` credentials, the gateway's identity assertions). */
  keys?: Pick<ServiceKeys, 'internal' | 'identity'>
  /** Read the gateway's identity assertions (default); the gateway itself strips them instead. */
  identityAssertions?: boolean
  /** Wall clock in epoch milliseconds for credential and assertion expiry (tests). */
  clock?: () => number
  /** Trust `X-Forwarded-*` from these peers (the gateway decides; services trust nobody by default). */
  trustProxy?: boolean | string | string[]
  /** Serve this app's own spec at `/openapi.json` (the gateway serves a merged one instead). */
  openapiRoute?: boolean
  /** How long an idle keep-alive connection stays open; shorter than the shutdown drain, so none outlives it. */
  keepAliveTimeoutMs?: number
  /** Serve HTTPS, HTTP/2 with HTTP/1.1 by ALPN, with this certificate and key; plain HTTP/1.1 without. */
  tls?: TlsCredentials
  /** Serve the metrics at `/metrics` on this app (default); off when another listener serves `app.metricsRegistry`. */
  metricsRoute?: boolean
  /**
   * The low-cardinality route of a request for the access log and metrics
   * (the gateway's route pattern); Fastify's route pattern by default.
   */
  routeLabel?: (request: FastifyRequest) => string | undefined
  /** More fields for a request's access line (the gateway's upstream, instance and user). */
  accessLogFields?: (request: FastifyRequest) => Record<string, unknown>
  /**
   * The level of the one access line per request: `info` (default), or `debug`
   * for a service behind a gateway in the same process, whose line for the same
   * request (status, time, upstream) is the one a person reads.
   */
  accessLogLevel?: 'info' | 'debug'
  /** A server span per request, and trace ids in its log lines; off by default (nothing added per request). */
  tracing?: Tracing
}

declare module 'fastify' {
  interface FastifyInstance {
    metricsRegistry: Registry
  }
}

/**
 * A Fastify app with the platform's conventions: TypeBox schemas, strict body
 * validation, problem+json errors, request ids, access log, health, metrics and
 * OpenAPI. Routes are added by the caller; it never listens by itself.
 */
export async function createServer (options: ServerOptions): Promise<App> {
  const idleMs = options.keepAliveTimeoutMs ?? 5000
  const app = Fastify({
    loggerInstance: options.log as FastifyBaseLogger,
    // One access line per request from our onResponse hook instead of Fastify's two.
    logController: new LogController({ disableRequestLogging: true, requestIdLogLabel: 'requestId' }),
    genReqId: requestIdFrom,
    bodyLimit: options.bodyLimit,
    trustProxy: options.trustProxy ?? false,
    forceCloseConnections: 'idle',
    // The draining hook answers those 503s itself, marked so callers send them elsewhere.
    return503OnClosing: false,
    keepAliveTimeout: idleMs,
    routerOptions: { ignoreTrailingSlash: true, maxParamLength: 200 },
    frameworkErrors: answerFrameworkError,
    clientErrorHandler: answerClientError,
    ...(options.tracing?.enabled ? { childLoggerFactory: tracedChildLogger(options.tracing) } : {}),
    // An HTTP/2 app has other raw request and reply types; every route and hook here uses only what both share.
    ...(options.tls ? httpsServerOptions(options.tls, idleMs) as object : {})
  }).withTypeProvider<TypeBoxTypeProvider>() as App

  app.setValidatorCompiler(validatorCompiler)
  // JSON only: a text/plain body is answered 415, not parsed into a string that fails validation obscurely.
  app.removeContentTypeParser('text/plain')
  installErrorHandling(app)
  const lifecycle = installDraining(app)
  if (options.tls) installHttpsLifecycle(app, idleMs)
  refuseUnstorableText(app)
  app.addSchema(ProblemSchema)

  // Callback style: it waits for nothing, and runs on every request.
  app.addHook('onRequest', (request, reply, done) => {
    reply.header('x-request-id', request.id)
    done()
  })
  // One line per request (its logger carries the request id): the path, never
  // the query's values (links carry their token there), nor any header.
  const routeLabel = options.routeLabel ?? routePattern
  if (options.tracing?.enabled) installServerSpans(app, routeLabel)
  const accessLevel = options.accessLogLevel ?? 'info'
  app.addHook('onResponse', (request, reply, done) => {
    // The line is not built at all when the level leaves it out.
    if (options.log.isLevelEnabled(accessLevel)) {
      request.log[accessLevel]({
        method: request.method,
        route: routeLabel(request) ?? 'unmatched',
        url: redactUrl(request.url),
        status: reply.statusCode,
        ms: Math.round(reply.elapsedTime * 10) / 10,
        ...options.accessLogFields?.(request)
      }, 'request')
    }
    done()
  })

  const noKey = () => new Error('no keys configured')
  const clock = options.clock ? { now: options.clock } : {}
  protectInternalRoutes(app, { keyring: options.keys?.internal ?? emptyKeyring('internal', noKey), service: options.name, ...clock })
  if (options.identityAssertions !== false) {
    installCaller(app, { keyring: options.keys?.identity ?? emptyKeyring('identity', noKey), service: options.name, ...clock })
  } else {
    app.decorateRequest('caller', null)
    app.decorateRequest('identityAssertion', null)
  }

  await app.register(swagger, {
    openapi: {
      openapi: '3.1.0',
      info: { title: `${options.name} service`, description: options.description ?? '', version: '1.0.0' },
      components: {
        securitySchemes: {
          bearer: { type: 'http', scheme: 'bearer', bearerFormat: 'JWT' },
          serviceToken: { type: 'apiKey', in: 'header', name: 'x-service-token' }
        }
      }
    },
    refResolver: { buildLocalReference: (json, _baseUri, _fragment, i) => String(json.$id ?? `def-${i}`) },
    // Every status, content type and description the routes really answer, derived in one place.
    transformObject: (documents) => 'openapiObject' in documents
      ? completeOpenApi(app, documents.openapiObject as Record<string, unknown>) as typeof documents.openapiObject
      : documents.swaggerObject
  })
  // The spec changes only with a deployment: any shared cache may keep it a while.
  if (options.openapiRoute !== false) {
    app.get('/openapi.json', { schema: { hide: true } }, async (_request, reply) => {
      reply.header('cache-control', 'public, max-age=300')
      return app.swagger()
    })
  }

  installHealthRoutes(app, options.readiness ?? [], () => lifecycle.draining)
  const registry = createMetricsRegistry(options.name)
  app.decorate('metricsRegistry', registry)
  if (options.metrics !== false) installHttpMetrics(app, registry, { route: options.metricsRoute !== false, routeLabel })
  return app
}
