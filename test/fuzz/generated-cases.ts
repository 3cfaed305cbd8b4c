import fc from 'fast-check'
import { assemble, headerSafe } from './fuzz-case.ts'
import type { Auth, FuzzCase } from './fuzz-case.ts'
import type { JsonSchema, Operation } from './openapi-operations.ts'
import { hostileNumber, hostileString, invalidish, validish } from './schema-arbitrary.ts'
import { percentEncode, queryText } from './wire-encoding.ts'

type Mode = 'valid' | 'invalid'

function valueFor (schema: JsonSchema, mode: Mode): fc.Arbitrary<unknown> {
  return mode === 'valid' ? validish(schema) : fc.oneof(validish(schema), hostileString, hostileNumber)
}

function authFor (op: Operation): fc.Arbitrary<Auth> {
  return op.secured ? fc.constantFrom<Auth>('user', 'admin', 'none') : fc.constantFrom<Auth>('none', 'user')
}

/** Requests to `op` drawn from its schemas: `valid` follows them, `invalid` breaks any part. */
export function generatedCase (op: Operation, mode: Mode): fc.Arbitrary<FuzzCase> {
  const params = fc.record(Object.fromEntries(op.pathParams.map(p => [p.name, valueFor(p.schema, mode).map(v => percentEncode(queryText(v)))])))
  const query = fc.tuple(...op.query.map(q => {
    const value = valueFor(q.schema, mode).map(v => [q.name, percentEncode(queryText(v))] as [string, string])
    return q.required && mode === 'valid' ? value.map(pair => [pair]) : fc.option(value, { nil: undefined }).map(pair => pair ? [pair] : [])
  })).map(pairs => pairs.flat())
  const headers = fc.record(Object.fromEntries(op.headers.map(h => [h.name, valueFor(h.schema, mode).map(v => headerSafe(queryText(v)))])))
  const body = op.body ? (mode === 'valid' ? validish(op.body) : invalidish(op.body)).map(v => JSON.stringify(v) ?? 'null') : fc.constant(null)
  return fc.record({ params, query, headers, body, auth: authFor(op) }).map(({ auth, ...parts }) => ({
    label: `generated ${mode}`,
    auth,
    request: assemble(op, parts)
  }))
}

/** `runs` requests per mode, the same ones for the same seed. */
export function generatedCases (op: Operation, seed: number, runs: number): FuzzCase[] {
  return (['valid', 'invalid'] as const).flatMap((mode, i) => fc.sample(generatedCase(op, mode), { seed: seed + i, numRuns: runs }))
}
