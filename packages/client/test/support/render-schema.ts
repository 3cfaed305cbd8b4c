import openapiTS, { astToString } from 'openapi-typescript'
import type { OpenAPI3 } from 'openapi-typescript'

export const SCHEMA_FILE = new URL('../../src/gen/schema.ts', import.meta.url)

const HEADER = `// Generated from the gateway's merged OpenAPI (GET /openapi.json) by \`npm run generate:client\`.
// Do not edit: packages/client/test/schema-drift.test.ts fails when this file and the API differ.
`

/** The TypeScript types of a merged OpenAPI document, as committed in src/gen/schema.ts. */
export async function renderSchema (doc: unknown): Promise<string> {
  const description = (doc as { info?: { description?: string } }).info?.description ?? ''
  if (description.includes('Not reachable')) throw new Error(`the merged OpenAPI misses services: ${description}`)
  return HEADER + astToString(await openapiTS(doc as OpenAPI3))
}
