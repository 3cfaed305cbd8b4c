import fc from 'fast-check'
import type { JsonSchema } from './openapi-operations.ts'

const list = (value: unknown): JsonSchema[] => Array.isArray(value) ? value as JsonSchema[] : []

function exemplarString (schema: JsonSchema): string {
  const example = list(schema.examples).find(e => typeof e === 'string') as unknown as string | undefined
  if (example !== undefined) return example
  if (schema.format === 'uuid') return '6f1c2a4e-8d3b-4c5a-9e7f-0a1b2c3d4e5f'
  if (schema.format === 'email') return 'fuzz.exemplar@example.com'
  if (schema.format === 'date-time') return '2030-01-02T03:04:05.000Z'
  if (typeof schema.pattern === 'string') return fc.sample(fc.stringMatching(new RegExp(schema.pattern)), { seed: 1, numRuns: 1 })[0]!
  // Plain, long enough for a password policy, cut to the field's bounds.
  const minLength = typeof schema.minLength === 'number' ? schema.minLength : 1
  const maxLength = typeof schema.maxLength === 'number' ? schema.maxLength : Infinity
  return 'Fuzz exemplar 7q2k'.padEnd(minLength, 'x').slice(0, maxLength)
}

/**
 * One deterministic value with every optional field present, so that each
 * field can be broken in turn; not always valid (the schema may say "email or phone").
 */
export function exemplar (schema: JsonSchema): unknown {
  if ('const' in schema) return schema.const
  if (Array.isArray(schema.enum) && schema.enum.length > 0) return schema.enum[0]
  const alternatives = [...list(schema.anyOf), ...list(schema.oneOf)].filter(s => s.type !== 'null')
  if (alternatives.length > 0) return exemplar(alternatives[0]!)
  const type = Array.isArray(schema.type) ? schema.type.find(t => t !== 'null') : schema.type
  switch (type) {
    case 'string': return exemplarString(schema)
    case 'integer':
    case 'number': return typeof schema.minimum === 'number' ? schema.minimum : 1
    case 'boolean': return true
    case 'null': return null
    case 'array': return [exemplar((schema.items ?? {}) as JsonSchema)]
    case 'object': return Object.fromEntries(Object.entries((schema.properties ?? {}) as Record<string, JsonSchema>)
      .map(([key, sub]) => [key, exemplar(sub)]))
    default: return 'x'
  }
}

export type JsonPath = Array<string | number>

/** Paths to every leaf of `value` that satisfies `accept`. */
export function leavesOf (value: unknown, accept: (leaf: unknown) => boolean, path: JsonPath = []): JsonPath[] {
  if (Array.isArray(value)) return value.flatMap((item, i) => leavesOf(item, accept, [...path, i]))
  if (value !== null && typeof value === 'object') return Object.entries(value).flatMap(([key, item]) => leavesOf(item, accept, [...path, key]))
  return accept(value) ? [path] : []
}

/** A copy of `value` with the leaf at `path` replaced. */
export function replaceAt (value: unknown, path: JsonPath, leaf: unknown): unknown {
  if (path.length === 0) return leaf
  const [head, ...rest] = path
  if (Array.isArray(value)) return value.map((item, i) => i === head ? replaceAt(item, rest, leaf) : item)
  const record = value as Record<string, unknown>
  return { ...record, [head!]: replaceAt(record[head!], rest, leaf) }
}
