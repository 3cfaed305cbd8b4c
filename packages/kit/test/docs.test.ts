/**
 * Keeps docs/errors.md and docs/config.md honest, in both directions: every
 * error code and every environment variable is documented, and the docs name
 * nothing that does not exist (fastify test/internals/errors.test.js).
 */
import { before, describe, it } from 'node:test'
import assert from 'node:assert/strict'
import { existsSync, readdirSync, readFileSync } from 'node:fs'
import { join } from 'node:path'
import { fileURLToPath, pathToFileURL } from 'node:url'
import { KindGuard } from '@sinclair/typebox'
import type { TObject, TSchema } from '@sinclair/typebox'
import { BaseConfigSchema } from '../src/config/index.ts'
import { registeredErrorCodes } from '../src/errors/index.ts'
import '../src/errors/kit-errors.ts'

const root = fileURLToPath(new URL('../../../', import.meta.url))

/** `services/<name>/src/<file>` for every service that has one. */
function serviceFiles (file: string): Array<{ service: string, path: string }> {
  return readdirSync(join(root, 'services'))
    .map(service => ({ service, path: join(root, 'services', service, 'src', file) }))
    .filter(({ path }) => existsSync(path))
}

interface Row {
  /** The backticked names in the first cell. */
  names: string[]
  cells: string[]
}

/** The rows of every markdown table in a doc, header and separator rows excluded. */
function tableRows (doc: string): Row[] {
  return readFileSync(join(root, 'docs', doc), 'utf8').split('\n')
    .filter(line => line.trimStart().startsWith('|') && !/^\|[\s|:-]+\|$/.test(line.trim()))
    .map(line => line.trim().slice(1, -1).split('|').map(cell => cell.trim()))
    .map(cells => ({ cells, names: [...(cells[0] ?? '').matchAll(/`([^`]+)`/g)].map(m => m[1]!) }))
    .filter(row => row.names.length > 0)
}

function documented (doc: string): Map<string, Row> {
  const rows = new Map<string, Row>()
  for (const row of tableRows(doc)) {
    for (const name of row.names) {
      assert.equal(rows.has(name), false, `${doc} documents ${name} twice`)
      rows.set(name, row)
    }
  }
  return rows
}

/** How a default reads in the Default column. */
function defaultCell (schema: TSchema): string {
  if (schema.default === undefined) return '—'
  if (schema.default === '') return '(empty)'
  return `\`${String(schema.default)}\``
}

describe('docs/errors.md', () => {
  let codes: ReturnType<typeof registeredErrorCodes>
  let rows: Map<string, Row>

  const empty: string[] = []

  before(async () => {
    // Each import registers the module's codes; a code defined by two owners throws here.
    for (const { service, path } of serviceFiles('errors.ts')) {
      const known = registeredErrorCodes().size
      await import(pathToFileURL(path).href)
      if (registeredErrorCodes().size === known) empty.push(service)
    }
    codes = registeredErrorCodes()
    rows = documented('errors.md')
  })

  it('collects the codes of the kit and of every service errors module', () => {
    assert.ok(codes.has('validation_failed'))
    assert.ok(codes.has('internal'))
    assert.deepEqual(empty, [], 'these services have an errors.ts that registered no code')
  })

  it('documents every error code with its status', () => {
    for (const [code, def] of codes) {
      const row = rows.get(code)
      assert.ok(row, `docs/errors.md does not document \`${code}\` (${def.owner}, ${def.status})`)
      assert.equal(row.cells[1], String(def.status), `docs/errors.md gives the wrong status for ${code}`)
    }
  })

  it('documents no code that does not exist', () => {
    const unknown = [...rows.keys()].filter(code => !codes.has(code))
    assert.deepEqual(unknown, [], 'docs/errors.md documents codes no errors module defines')
  })
})

describe('docs/config.md', () => {
  const variables = new Map<string, TSchema>()
  let rows: Map<string, Row>

  before(async () => {
    const schemas: TObject[] = [BaseConfigSchema]
    for (const { path } of serviceFiles('config.ts')) {
      const exported = await import(pathToFileURL(path).href) as Record<string, unknown>
      schemas.push(...Object.values(exported).filter(value => KindGuard.IsObject(value)))
    }
    for (const schema of schemas) {
      for (const [key, property] of Object.entries(schema.properties)) {
        assert.equal(variables.has(key), false, `${key} is declared by two config schemas`)
        variables.set(key, property)
      }
    }
    rows = documented('config.md')
  })

  it('collects the base variables and every service\'s own', () => {
    assert.ok(variables.has('DATABASE_URL'))
    assert.ok(variables.size > Object.keys(BaseConfigSchema.properties).length, 'no service variables were found')
  })

  it('documents every variable with its default', () => {
    for (const [key, schema] of variables) {
      const row = rows.get(key)
      assert.ok(row, `docs/config.md does not document \`${key}\``)
      assert.equal(row.cells[1], defaultCell(schema), `docs/config.md gives the wrong default for ${key}`)
    }
  })

  it('documents no variable that does not exist', () => {
    const unknown = [...rows.keys()].filter(key => !variables.has(key))
    assert.deepEqual(unknown, [], 'docs/config.md documents variables no config schema declares')
  })
})
