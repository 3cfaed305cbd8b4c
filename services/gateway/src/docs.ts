import swaggerUi from '@fastify/swagger-ui'
import type { App } from '@app/kit/http'
import { DOCS_BRANDING } from './docs-branding.ts'
import { mergeOpenApi } from './openapi-merge.ts'
import { unroutedRefusal } from './routing.ts'
import type { OpenApiDocument, ServiceSpec } from './openapi-merge.ts'

const REFRESH_MS = 10_000
const INFO = {
  title: 'Gatehouse API',
  version: '1.0.0',
  description: 'Every public route of the platform, through the gateway. Errors are RFC 9457 `application/problem+json` with a stable `code` (docs/errors.md); Connect RPC procedures under `/rpc` answer Connect error bodies instead, with the platform code in `x-error-code`.'
}

/**
 * `/openapi.json` and `/docs`: the services' specs merged, fetched lazily and
 * refreshed every few seconds, with `own`: the routes the gateway answers itself.
 */
export async function registerDocs (app: App, services: Array<{ service: string, url: () => string }>, own?: () => OpenApiDocument): Promise<void> {
  let merged: OpenApiDocument = mergeOpenApi([], INFO)
  let fetchedAt = 0
  let inflight: Promise<void> | undefined

  const fetchSpec = async ({ service, url }: { service: string, url: () => string }): Promise<ServiceSpec> => {
    try {
      const res = await fetch(`${url()}/openapi.json`, { signal: AbortSignal.timeout(2000) })
      return { service, doc: res.ok ? await res.json() as OpenApiDocument : undefined }
    } catch {
      return { service, doc: undefined }
    }
  }
  const refresh = async () => {
    if (Date.now() - fetchedAt < REFRESH_MS) return
    inflight ??= (async () => {
      const specs = await Promise.all(services.map(fetchSpec))
      merged = mergeOpenApi(own ? [...specs, { service: 'gateway', doc: own() }] : specs, INFO)
      fetchedAt = Date.now()
    })().finally(() => { inflight = undefined })
    await inflight
  }

  app.get('/openapi.json', { schema: { hide: true } }, async (request, reply) => {
    const unrouted = unroutedRefusal(request)
    if (unrouted) throw unrouted
    await refresh()
    // As long as it is rebuilt at most that often: the response cache keeps it meanwhile.
    reply.header('cache-control', `public, max-age=${REFRESH_MS / 1000}`)
    return merged
  })
  await app.register(swaggerUi, {
    routePrefix: '/docs',
    ...DOCS_BRANDING,
    uiConfig: { docExpansion: 'list', deepLinking: true },
    uiHooks: {
      preHandler: async (request) => {
        const unrouted = unroutedRefusal(request)
        if (unrouted) throw unrouted
        await refresh()
      }
    },
    transformSpecification: () => merged,
    transformSpecificationClone: false
  })
}
