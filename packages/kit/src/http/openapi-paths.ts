import { completeOperation, eachOperation, sharedErrorResponses } from './openapi-responses.ts'

type PathItems = Record<string, Record<string, unknown>>

// Per app: paths whose operations Fastify's route schemas cannot describe (Connect RPC).
const documented = new WeakMap<object, PathItems>()

/** Documents `paths` in this app's OpenAPI, replacing what its routes would say there. */
export function documentPaths (app: object, paths: PathItems): void {
  documented.set(app, { ...documented.get(app), ...paths })
}

/**
 * The app's generated document made honest: every route's responses completed
 * (see openapi-responses.ts), then the paths documented by hand put in place.
 */
export function completeOpenApi<T extends { paths?: Record<string, unknown>, components?: Record<string, unknown> }> (app: object, doc: T): T {
  eachOperation(doc, op => completeOperation(op))
  doc.components = { ...doc.components, responses: { ...sharedErrorResponses(), ...doc.components?.responses as object } }
  const extra = documented.get(app)
  if (extra) doc.paths = Object.fromEntries(Object.entries({ ...doc.paths, ...extra }).sort(([a], [b]) => a.localeCompare(b)))
  return doc
}
