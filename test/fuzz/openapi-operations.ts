/** The parts of an OpenAPI 3.1 document the fuzzer reads. */
export type JsonSchema = Record<string, unknown>

interface Parameter { in: 'path' | 'query' | 'header' | 'cookie', name: string, required?: boolean, schema?: JsonSchema }

/** A response as declared: its content by media type (none: an empty body). */
export interface DeclaredResponse {
  content?: Record<string, { schema?: JsonSchema }>
}

interface OperationObject {
  parameters?: Parameter[]
  security?: Array<Record<string, unknown>>
  requestBody?: { content?: Record<string, { schema?: JsonSchema }> }
  responses?: Record<string, DeclaredResponse & { $ref?: string }>
}

export interface OpenApiDocument {
  paths: Record<string, Record<string, OperationObject>>
  components?: { schemas?: Record<string, JsonSchema>, responses?: Record<string, DeclaredResponse> }
}

export interface Operation {
  method: string
  /** The template, e.g. `/api/v1/users/{id}`. */
  path: string
  pathParams: Array<{ name: string, schema: JsonSchema }>
  query: Array<{ name: string, required: boolean, schema: JsonSchema }>
  headers: Array<{ name: string, required: boolean, schema: JsonSchema }>
  /** The JSON body's schema; undefined when the operation takes none. */
  body: JsonSchema | undefined
  /** Declares bearer (or any) security: sent with tokens as well as without. */
  secured: boolean
  /** A Connect RPC procedure: its errors are Connect JSON, not problem+json. */
  rpc: boolean
  /** The declared responses by status, every `$ref` resolved. */
  responses: Record<string, DeclaredResponse>
}

const METHODS = new Set(['get', 'put', 'post', 'delete', 'patch'])

/** Replaces every `$ref` to `#/components/schemas/X` by the schema itself (the platform's schemas are not recursive). */
export function resolveRefs (schema: unknown, components: Record<string, JsonSchema>, seen: string[] = []): unknown {
  if (Array.isArray(schema)) return schema.map(item => resolveRefs(item, components, seen))
  if (schema === null || typeof schema !== 'object') return schema
  const ref = (schema as { $ref?: unknown }).$ref
  if (typeof ref === 'string') {
    const name = ref.replace(/^#\/components\/schemas\//, '')
    const target = components[name]
    if (!target || seen.includes(name)) return {}
    return resolveRefs(target, components, [...seen, name])
  }
  return Object.fromEntries(Object.entries(schema).map(([key, value]) => [key, resolveRefs(value, components, seen)]))
}

function declaredResponses (op: OperationObject, doc: OpenApiDocument, components: Record<string, JsonSchema>): Record<string, DeclaredResponse> {
  return Object.fromEntries(Object.entries(op.responses ?? {}).map(([status, response]) => {
    const shared = response.$ref ? doc.components?.responses?.[response.$ref.replace(/^#\/components\/responses\//, '')] : response
    return [status, resolveRefs(shared ?? {}, components) as DeclaredResponse]
  }))
}

/**
 * Every operation of the document. A Connect procedure is a call only as a
 * POST; should the document list other methods for it, they are left out.
 */
export function operationsOf (doc: OpenApiDocument): Operation[] {
  const components = doc.components?.schemas ?? {}
  const operations: Operation[] = []
  for (const [path, item] of Object.entries(doc.paths)) {
    const rpc = path.startsWith('/rpc/')
    for (const [method, op] of Object.entries(item)) {
      if (!METHODS.has(method) || (rpc && method !== 'post')) continue
      const params = (op.parameters ?? []).map(p => ({ ...p, schema: resolveRefs(p.schema ?? {}, components) as JsonSchema }))
      const json = op.requestBody?.content?.['application/json']?.schema
      operations.push({
        method: method.toUpperCase(),
        path,
        pathParams: params.filter(p => p.in === 'path').map(({ name, schema }) => ({ name, schema })),
        query: params.filter(p => p.in === 'query').map(({ name, required, schema }) => ({ name, required: required === true, schema })),
        headers: params.filter(p => p.in === 'header').map(({ name, required, schema }) => ({ name, required: required === true, schema })),
        body: json ? resolveRefs(json, components) as JsonSchema : (rpc ? {} : undefined),
        secured: (op.security ?? []).length > 0,
        rpc,
        responses: declaredResponses(op, doc, components)
      })
    }
  }
  return operations
}
