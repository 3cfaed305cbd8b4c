import fc from 'fast-check'
import type { JsonSchema } from './openapi-operations.ts'

const MAX_GENERATED_LENGTH = 40
const MAX_GENERATED_ITEMS = 4

const list = (value: unknown): JsonSchema[] => Array.isArray(value) ? value as JsonSchema[] : []
const num = (value: unknown): number | undefined => typeof value === 'number' ? value : undefined

/** Strings a schema-blind client, a confused one or an attacker sends. */
export const hostileString: fc.Arbitrary<string> = fc.oneof(
  fc.string({ unit: 'binary', maxLength: MAX_GENERATED_LENGTH }),
  fc.constantFrom(
    '', ' ', '\u0000', 'a\u0000b', '\ud800', 'x\udfff', '\ufeff', '\u202e', '%00', '\\u0000', '😀'.repeat(50),
    "'; drop table users; --", '../../etc/passwd', '$' + '{jndi:ldap://x/a}', '{{7*7}}', '<script>alert(1)</script>',
    '+14155550123', 'ada@example.com', '00000000-0000-0000-0000-000000000000', '9999-12-31T23:59:59Z', 'true', '-1'
  ),
  fc.string({ minLength: 1000, maxLength: 3000 })
)

/** Numbers at and past every limit a column or a parser has. */
export const hostileNumber: fc.Arbitrary<number> = fc.oneof(
  fc.constantFrom(-1, 0, -0, 0.5, 2 ** 31, 2 ** 53 + 2, -(2 ** 63), 1e308, -1e308, 5e-324, Number.MAX_SAFE_INTEGER),
  fc.integer(),
  fc.double({ noNaN: true, noDefaultInfinity: true })
)

/** Any value of the wrong kind for a field. */
export const hostileValue: fc.Arbitrary<unknown> = fc.oneof(
  hostileString, hostileNumber, fc.jsonValue({ maxDepth: 3 }), fc.constant(null), fc.boolean()
)

function stringArbitrary (schema: JsonSchema): fc.Arbitrary<string> {
  const minLength = num(schema.minLength) ?? 0
  const maxLength = Math.max(minLength, Math.min(num(schema.maxLength) ?? MAX_GENERATED_LENGTH, MAX_GENERATED_LENGTH))
  const examples = list(schema.examples).filter(e => typeof e === 'string') as unknown as string[]
  let base: fc.Arbitrary<string>
  if (schema.format === 'uuid') base = fc.uuid()
  else if (schema.format === 'email') base = fc.emailAddress()
  else if (schema.format === 'date-time') base = fc.date({ min: new Date('1970-01-01'), max: new Date('2100-01-01'), noInvalidDate: true }).map(d => d.toISOString())
  else if (typeof schema.pattern === 'string') base = fc.stringMatching(new RegExp(schema.pattern))
  else base = fc.oneof(fc.string({ minLength, maxLength }), fc.string({ unit: 'grapheme', minLength, maxLength }))
  return examples.length > 0 ? fc.oneof(fc.constantFrom(...examples), base) : base
}

function objectArbitrary (schema: JsonSchema, validish: (s: JsonSchema) => fc.Arbitrary<unknown>): fc.Arbitrary<unknown> {
  const properties = (schema.properties ?? {}) as Record<string, JsonSchema>
  const required = list(schema.required) as unknown as string[]
  const known = fc.record(
    Object.fromEntries(Object.entries(properties).map(([key, sub]) => [key, validish(sub)])),
    { requiredKeys: required.filter(key => key in properties) }
  )
  const extra = schema.additionalProperties
  if (extra === false || (Object.keys(properties).length > 0 && extra === undefined)) return known
  const valueSchema = typeof extra === 'object' && extra !== null ? extra as JsonSchema : {}
  return fc.tuple(known, fc.dictionary(fc.string({ maxLength: 20 }), validish(valueSchema), { maxKeys: 3 }))
    .map(([fixed, more]) => ({ ...more, ...fixed as object }))
}

/** Values that follow the schema's types, formats and bounds closely enough to get past validation now and then. */
export function validish (schema: JsonSchema): fc.Arbitrary<unknown> {
  if ('const' in schema) return fc.constant(schema.const)
  if (Array.isArray(schema.enum) && schema.enum.length > 0) return fc.constantFrom(...schema.enum as unknown[])
  const alternatives = [...list(schema.anyOf), ...list(schema.oneOf)]
  if (alternatives.length > 0) return fc.oneof(...alternatives.map(validish))
  const type = Array.isArray(schema.type) ? schema.type : [schema.type]
  if (type.length > 1) return fc.oneof(...type.map(t => validish({ ...schema, type: t })))
  switch (type[0]) {
    case 'string': return stringArbitrary(schema)
    case 'integer': return fc.integer({ min: num(schema.minimum) ?? -1_000_000, max: num(schema.maximum) ?? 1_000_000 })
    case 'number': return fc.double({ min: num(schema.minimum) ?? -1e6, max: num(schema.maximum) ?? 1e6, noNaN: true, noDefaultInfinity: true })
    case 'boolean': return fc.boolean()
    case 'null': return fc.constant(null)
    case 'array': {
      const items = validish((schema.items ?? {}) as JsonSchema)
      const minLength = num(schema.minItems) ?? 0
      const maxLength = Math.max(minLength, Math.min(num(schema.maxItems) ?? MAX_GENERATED_ITEMS, MAX_GENERATED_ITEMS))
      return schema.uniqueItems === true
        ? fc.uniqueArray(items, { minLength, maxLength, selector: v => JSON.stringify(v) })
        : fc.array(items, { minLength, maxLength })
    }
    case 'object': return objectArbitrary(schema, validish)
    default: return fc.jsonValue({ maxDepth: 2 })
  }
}

/**
 * Values that break the schema one way or another: the wrong kind at the top,
 * one field replaced by a hostile value, a required field dropped, a field added.
 */
export function invalidish (schema: JsonSchema): fc.Arbitrary<unknown> {
  const properties = Object.keys((schema.properties ?? {}) as object)
  if (properties.length === 0) return fc.oneof(hostileValue, validish(schema))
  const valid = validish(schema) as fc.Arbitrary<Record<string, unknown>>
  return fc.oneof(
    hostileValue,
    fc.tuple(valid, fc.constantFrom(...properties), hostileValue).map(([body, key, value]) => ({ ...body, [key]: value })),
    fc.tuple(valid, fc.constantFrom(...properties)).map(([body, key]) => { const { [key]: _dropped, ...rest } = body; return rest }),
    fc.tuple(valid, fc.string({ maxLength: 20 }), hostileValue).map(([body, key, value]) => ({ ...body, [key]: value }))
  )
}
