export interface OpenApiDocument {
  openapi: string
  info: { title: string, description?: string, version: string }
  paths?: Record<string, unknown>
  components?: { schemas?: Record<string, unknown>, securitySchemes?: Record<string, unknown> }
  tags?: Array<{ name: string, description?: string }>
  [key: string]: unknown
}

export interface ServiceSpec {
  service: string
  doc: OpenApiDocument | undefined
}

/** One document for the whole public API: every service's public paths (never `/internal/*`) and schemas. */
export function mergeOpenApi (specs: ServiceSpec[], info: OpenApiDocument['info']): OpenApiDocument {
  const paths: Record<string, unknown> = {}
  const schemas: Record<string, unknown> = {}
  const securitySchemes: Record<string, unknown> = {}
  const missing: string[] = []
  for (const { service, doc } of specs) {
    if (!doc) { missing.push(service); continue }
    for (const [path, item] of Object.entries(doc.paths ?? {})) {
      if (!path.startsWith('/internal/')) paths[path] = item
    }
    Object.assign(schemas, doc.components?.schemas)
    Object.assign(securitySchemes, doc.components?.securitySchemes)
  }
  const note = missing.length > 0 ? `\n\nNot reachable while this page was built: ${missing.join(', ')}.` : ''
  return {
    openapi: '3.1.0',
    info: { ...info, description: `${info.description ?? ''}${note}` },
    paths: Object.fromEntries(Object.entries(paths).sort(([a], [b]) => a.localeCompare(b))),
    components: { schemas, securitySchemes }
  }
}
