import { sharedErrorResponses } from '@app/kit/http'
import { addGatewayAnswers } from './openapi-gateway-answers.ts'
import { createPolicyMatcher, segmentsOf } from './policy-matcher.ts'
import { GATEWAY_ROUTE_POLICIES, SERVICE_ROUTE_POLICIES } from './route-policies.ts'

export interface OpenApiDocument {
  openapi: string
  info: { title: string, description?: string, version: string }
  paths?: Record<string, unknown>
  components?: { schemas?: Record<string, unknown>, responses?: Record<string, unknown>, securitySchemes?: Record<string, unknown> }
  tags?: Array<{ name: string, description?: string }>
  [key: string]: unknown
}

export interface ServiceSpec {
  service: string
  doc: OpenApiDocument | undefined
}

const policies = createPolicyMatcher([...SERVICE_ROUTE_POLICIES, ...GATEWAY_ROUTE_POLICIES])

/** One document for the whole public API: every service's public paths (never `/internal/*`) and schemas. */
export function mergeOpenApi (specs: ServiceSpec[], info: OpenApiDocument['info']): OpenApiDocument {
  const paths: Record<string, unknown> = {}
  const schemas: Record<string, unknown> = {}
  const securitySchemes: Record<string, unknown> = {}
  const responses: Record<string, unknown> = sharedErrorResponses()
  const missing: string[] = []
  const own = new Set<string>()
  for (const { service, doc } of specs) {
    if (!doc) { missing.push(service); continue }
    for (const [path, item] of Object.entries(doc.paths ?? {})) {
      if (path.startsWith('/internal/')) continue
      // A copy: the gateway's additions must not change the document the service's client holds.
      paths[path] = structuredClone(item)
      if (service === 'gateway') own.add(path)
    }
    Object.assign(schemas, doc.components?.schemas)
    Object.assign(responses, doc.components?.responses)
    Object.assign(securitySchemes, doc.components?.securitySchemes)
  }
  addGatewayAnswers({ paths }, (method, path) => policies.match(method, segmentsOf(path.replace(/\{[^}]+\}/g, 'x'))), own)
  const note = missing.length > 0 ? `\n\nNot reachable while this page was built: ${missing.join(', ')}.` : ''
  return {
    openapi: '3.1.0',
    info: { ...info, description: `${info.description ?? ''}${note}` },
    paths: Object.fromEntries(Object.entries(paths).sort(([a], [b]) => a.localeCompare(b))),
    components: { schemas, responses, securitySchemes }
  }
}
