// npm run generate:client: writes src/gen/schema.ts from the merged OpenAPI of a
// platform started here, embedded, exactly as the drift test reads it.
import { writeFileSync } from 'node:fs'
import { platformOpenApi } from './support/platform-openapi.ts'
import { renderSchema, SCHEMA_FILE } from './support/render-schema.ts'

writeFileSync(SCHEMA_FILE, await renderSchema(await platformOpenApi()))
console.log(`wrote ${SCHEMA_FILE.pathname}`)
