import assert from 'node:assert/strict'
import { readFileSync } from 'node:fs'
import { describe, it } from 'node:test'
import { platformOpenApi } from './support/platform-openapi.ts'
import { renderSchema, SCHEMA_FILE } from './support/render-schema.ts'

/** The first line where two texts differ, with a little context, for the failure message. */
function firstDifference (expected: string, actual: string): string {
  const a = expected.split('\n')
  const b = actual.split('\n')
  const at = a.findIndex((line, i) => line !== b[i])
  const line = at === -1 ? a.length : at
  return `line ${line + 1}:\n  committed: ${JSON.stringify(a[line])}\n  live:      ${JSON.stringify(b[line])}`
}

describe('the typed client', () => {
  it('has the types the live merged OpenAPI generates (else run npm run generate:client)', async () => {
    const live = await renderSchema(await platformOpenApi())
    const committed = readFileSync(SCHEMA_FILE, 'utf8')
    if (live !== committed) {
      assert.fail(`packages/client/src/gen/schema.ts is out of date with the API; run \`npm run generate:client\` and commit it. First difference at ${firstDifference(committed, live)}`)
    }
  })
})
