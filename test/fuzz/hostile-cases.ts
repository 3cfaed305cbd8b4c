import { exemplar, leavesOf, replaceAt } from './exemplar.ts'
import { assemble } from './fuzz-case.ts'
import type { Auth, FuzzCase, RequestParts } from './fuzz-case.ts'
import { withFreshIdentities } from './fresh-identities.ts'
import type { Operation } from './openapi-operations.ts'
import { percentEncode, queryText } from './wire-encoding.ts'

/** Above every service's body limit (64 KiB by default) and the gateway's. */
const OVER_LIMIT_BYTES = 200 * 1024
/** Large, but within the body limit: it reaches validation and the handler. */
const HUGE_STRING_LENGTH = 60 * 1024
const NESTING_DEPTH = 10_000

const MARK = '\u0001fuzz-raw\u0001'
// Invalid UTF-8: a stray continuation byte, an overlong NUL, a CESU-8 surrogate, a truncated sequence.
const INVALID_UTF8 = Buffer.from([0x61, 0xff, 0xfe, 0x80, 0xc0, 0x80, 0xed, 0xa0, 0x80, 0xe2, 0x82, 0x62])

/** JSON text of `value` with the leaf at `path` swapped for raw bytes, which JSON.stringify could never produce. */
function withRawLeaf (value: unknown, path: Array<string | number>, raw: Buffer | string): Buffer {
  const [before, after] = JSON.stringify(replaceAt(value, path, MARK)).split(JSON.stringify(MARK))
  return Buffer.concat([Buffer.from(before!), Buffer.from(raw), Buffer.from(after ?? '')])
}

const nestedArrays = (depth: number) => '['.repeat(depth) + ']'.repeat(depth)
const nestedObjects = (depth: number) => '{"a":'.repeat(depth) + '1' + '}'.repeat(depth)
const where = (path: Array<string | number>) => `/${path.join('/')}`

function bodyCases (op: Operation): Array<[string, RequestParts]> {
  const base = exemplar(op.body!)
  const strings = leavesOf(base, leaf => typeof leaf === 'string')
  const numbers = leavesOf(base, leaf => typeof leaf === 'number')
  const json = (value: unknown) => ({ body: JSON.stringify(value) })
  return [
    ...strings.flatMap(path => [
      [`NUL in ${where(path)}`, json(replaceAt(base, path, 'a\u0000b'))],
      [`only NUL in ${where(path)}`, json(replaceAt(base, path, '\u0000'))],
      [`lone surrogate in ${where(path)}`, json(replaceAt(base, path, 'a\ud800b'))],
      [`invalid UTF-8 in ${where(path)}`, { body: withRawLeaf(base, path, Buffer.concat([Buffer.from('"'), INVALID_UTF8, Buffer.from('"')])) }],
      [`raw control bytes in ${where(path)}`, { body: withRawLeaf(base, path, '"a\u0000\u0007b"') }],
      [`huge string in ${where(path)}`, json(replaceAt(base, path, 'x'.repeat(HUGE_STRING_LENGTH)))],
      [`number for ${where(path)}`, json(replaceAt(base, path, 1e308))],
      [`object for ${where(path)}`, json(replaceAt(base, path, { $gt: '' }))],
      [`deep array for ${where(path)}`, { body: withRawLeaf(base, path, nestedArrays(NESTING_DEPTH)) }]
    ] as Array<[string, RequestParts]>),
    ...numbers.flatMap(path => [
      [`1e999 for ${where(path)}`, { body: withRawLeaf(base, path, '1e999') }],
      [`30 digits for ${where(path)}`, { body: withRawLeaf(base, path, '123456789012345678901234567890') }],
      [`-2^63 for ${where(path)}`, json(replaceAt(base, path, -(2 ** 63)))],
      [`fraction for ${where(path)}`, json(replaceAt(base, path, 0.5))],
      [`numeric string for ${where(path)}`, json(replaceAt(base, path, '12'))]
    ] as Array<[string, RequestParts]>),
    ['array for the body', json([])],
    ['array of the body', json([base])],
    ['string for the body', json('body')],
    ['number for the body', json(42)],
    ['null for the body', { body: 'null' }],
    ['empty object', json({})],
    ['__proto__ member', { body: JSON.stringify(base).replace(/^\{/, '{"__proto__":{"isAdmin":true,"roles":["admin"]},') }],
    ['constructor.prototype member', json({ ...(base as object), constructor: { prototype: { polluted: true } } })],
    ['duplicate members', { body: JSON.stringify(base).replace(/^\{/, '{"x":1,"x":"2",') }],
    ['deeply nested arrays', { body: nestedArrays(NESTING_DEPTH) }],
    ['deeply nested objects', { body: nestedObjects(NESTING_DEPTH) }],
    [`body over the limit (${OVER_LIMIT_BYTES} bytes)`, json({ ...(base as object), padding: 'x'.repeat(OVER_LIMIT_BYTES) })],
    ['malformed JSON: open brace', { body: '{' }],
    ['malformed JSON: missing value', { body: '{"a":}' }],
    ['malformed JSON: trailing comma', { body: '{"a":1,}' }],
    ['malformed JSON: single quotes', { body: "{'a':1}" }],
    ['malformed JSON: bad escape', { body: '{"a":"\\u00zz"}' }],
    ['malformed JSON: NaN', { body: '{"a":NaN}' }],
    ['empty JSON body', { body: '' }],
    ['byte-order mark', { body: `\ufeff${JSON.stringify(base)}` }],
    ['invalid UTF-8 body', { body: INVALID_UTF8 }],
    ['text/plain', { contentType: 'text/plain' }],
    ['form-urlencoded', { contentType: 'application/x-www-form-urlencoded', body: 'email=a%40example.com&password=x' }],
    ['multipart', { contentType: 'multipart/form-data; boundary=fuzz', body: '--fuzz\r\nContent-Disposition: form-data; name="a"\r\n\r\n1\r\n--fuzz--\r\n' }],
    ['XML', { contentType: 'application/xml', body: '<a>1</a>' }],
    ['no content type', { contentType: null }],
    ['JSON in UTF-16', { contentType: 'application/json; charset=utf-16le', body: Buffer.from(JSON.stringify(base), 'utf16le') }],
    ['JSON in Latin-1', { contentType: 'application/json; charset=iso-8859-1', body: Buffer.from('{"name":"caf\xe9"}', 'latin1') }],
    ['garbage content type', { contentType: ';;; =' }],
    ['vendor JSON type', { contentType: 'application/vnd.api+json' }]
  ]
}

/**
 * For a Connect procedure: bodies in its binary encoding (`application/proto`) that no message
 * decodes from (a body that does decode answers in application/proto, which the document leaves out).
 */
function protoBodyCases (): Array<[string, RequestParts]> {
  const proto = (body: Buffer) => ({ contentType: 'application/proto', body })
  return [
    ['proto: a length prefix past the end', proto(Buffer.from([0x0a, 0x40, 0x61]))],
    ['proto: a varint that never ends', proto(Buffer.from([0x08, 0xff, 0xff, 0xff]))],
    ['proto: an invalid wire type', proto(Buffer.from([0x0f, 0x00]))],
    ['proto: field number 0', proto(Buffer.from([0x02, 0x00]))],
    ['proto: a JSON body', proto(Buffer.from('{"a":1}'))]
  ]
}

/** For an operation without a body: a body sent anyway. */
function unexpectedBodyCases (): Array<[string, RequestParts]> {
  return [
    ['unexpected JSON body', { body: '{"a":1}', contentType: 'application/json' }],
    ['unexpected malformed JSON body', { body: '{', contentType: 'application/json' }],
    ['unexpected body over the limit', { body: JSON.stringify({ padding: 'x'.repeat(OVER_LIMIT_BYTES) }), contentType: 'application/json' }]
  ]
}

/** Values for one query or path parameter, already encoded. */
function parameterValues (schema: Record<string, unknown>): Array<[string, string]> {
  const numeric = schema.type === 'integer' || schema.type === 'number'
  return [
    ['NUL', '%00'],
    ['NUL inside', `${percentEncode(queryText(exemplar(schema)))}%00`],
    ['lone surrogate', percentEncode('a\ud800')],
    ['invalid UTF-8', '%FF%FE%C0%80'],
    ['broken escape', '%zz%'],
    ['huge', 'x'.repeat(10_000)],
    ['empty', ''],
    ['not a uuid', 'not-a-uuid'],
    ['dot segments', '..%2F..%2Fetc'],
    ...(numeric
      ? [['1e999', '1e999'], ['-1', '-1'], ['30 digits', '123456789012345678901234567890'], ['NaN', 'NaN'], ['hex', '0x10'], ['fraction', '1.5']] as Array<[string, string]>
      : [])
  ]
}

function queryCases (op: Operation): Array<[string, RequestParts]> {
  const base = op.query.filter(q => q.required).map(q => [q.name, percentEncode(queryText(exemplar(q.schema)))] as [string, string])
  const others = (name: string) => base.filter(([k]) => k !== name)
  return [
    ...op.query.flatMap(q => parameterValues(q.schema).map(([what, value]) =>
      [`${what} in query ${q.name}`, { query: [...others(q.name), [q.name, value]] }] as [string, RequestParts])),
    ...op.query.map(q => [`query ${q.name} twice`, { query: [...base, [q.name, '1'], [q.name, '2']] }] as [string, RequestParts]),
    ['unknown query parameter with NUL', { query: [...base, ['fuzz', '%00']] }],
    ['query key with NUL', { query: [...base, ['%00', '1']] }]
  ]
}

function pathCases (op: Operation, knownIds: string[]): Array<[string, RequestParts]> {
  const base = Object.fromEntries(op.pathParams.map(p => [p.name, percentEncode(queryText(exemplar(p.schema)))]))
  return op.pathParams.flatMap(p => [
    ...parameterValues(p.schema).filter(([what]) => what !== 'empty').map(([what, value]) =>
      [`${what} in path ${p.name}`, { params: { ...base, [p.name]: value } }] as [string, RequestParts]),
    [`over-long path ${p.name}`, { params: { ...base, [p.name]: 'a'.repeat(300) } }],
    [`upper-case uuid in path ${p.name}`, { params: { ...base, [p.name]: 'F81D4FAE-7DEC-11D0-A765-00A0C91E6BF6' } }],
    [`nil uuid in path ${p.name}`, { params: { ...base, [p.name]: '00000000-0000-0000-0000-000000000000' } }],
    ...knownIds.map(id => [`an existing id in path ${p.name}`, { params: { ...base, [p.name]: id } }] as [string, RequestParts])
  ])
}

function headerCases (op: Operation): Array<[string, RequestParts]> {
  return op.headers.flatMap(h => [
    [`Latin-1 header ${h.name}`, { headers: { [h.name]: 'caf\xe9' } }],
    [`huge header ${h.name}`, { headers: { [h.name]: 'k'.repeat(6000) } }],
    [`empty header ${h.name}`, { headers: { [h.name]: '' } }]
  ] as Array<[string, RequestParts]>)
}

const BAD_TOKENS: Array<[string, string]> = [
  ['a garbage bearer token', 'Bearer garbage'],
  ['a malformed JWT', 'Bearer a.b.c'],
  ['an unsigned JWT', `Bearer ${Buffer.from('{"alg":"none","typ":"JWT"}').toString('base64url')}.${Buffer.from('{"sub":"00000000-0000-0000-0000-000000000000","roles":["admin"]}').toString('base64url')}.`],
  ['a huge bearer token', `Bearer ${'x'.repeat(7000)}`],
  ['basic credentials', 'Basic Zm9vOmJhcg=='],
  ['an empty bearer', 'Bearer '],
  ['a Latin-1 token', 'Bearer caf\xe9']
]

/**
 * The cases a schema-driven generator rarely hits: NUL bytes, invalid UTF-8,
 * lone surrogates, huge and deeply nested bodies, wrong content types,
 * malformed JSON, binary bodies that are not the procedure's message,
 * out-of-range numbers, bad tokens. Senders alternate between
 * the identities that make sense for the operation.
 */
export function hostileCases (op: Operation, knownIds: string[]): FuzzCase[] {
  const parts: Array<[string, RequestParts]> = [
    ...(op.body ? bodyCases(op) : unexpectedBodyCases()),
    ...(op.rpc ? protoBodyCases() : []),
    ...queryCases(op),
    ...pathCases(op, knownIds),
    ...headerCases(op)
  ]
  const senders: Auth[] = op.secured ? ['user', 'admin'] : ['none', 'user']
  const cases = parts.map(([label, p], i) => {
    const request = assemble(op, p)
    return { label, auth: senders[i % senders.length]!, request: { ...request, body: withFreshIdentities(request.body) } }
  })
  const tokens = BAD_TOKENS.map(([label, authorization]) => ({ label: `with ${label}`, auth: { authorization }, request: assemble(op) }))
  return [...cases, ...(op.secured ? [{ label: 'without a token', auth: 'none' as const, request: assemble(op) }, ...tokens] : tokens.slice(0, 2))]
}
