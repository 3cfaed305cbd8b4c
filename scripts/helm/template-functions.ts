/**
 * The Helm and Sprig functions the chart uses, with Sprig's argument order
 * (the piped value last) and results: math on integers (`div` truncates),
 * `toYaml` without the trailing newline, `quote` of nil as "".
 */
import { createHash } from 'node:crypto'
import { parse as parseYaml, stringify } from 'yaml'
import { TemplateError } from './template-lexer.ts'

type Fn = (...args: unknown[]) => unknown

const isMap = (value: unknown): value is Record<string, unknown> =>
  typeof value === 'object' && value !== null && !Array.isArray(value)

const empty = (value: unknown): boolean =>
  value === undefined || value === null || value === false || value === 0 || value === '' ||
  (Array.isArray(value) && value.length === 0) || (isMap(value) && Object.keys(value).length === 0)

function toInt (value: unknown): number {
  if (typeof value === 'number') return Math.trunc(value)
  if (typeof value === 'string' && /^-?\d+(\.\d+)?$/.test(value)) return Math.trunc(Number(value))
  if (typeof value === 'boolean') return value ? 1 : 0
  if (value === undefined || value === null) return 0
  throw new TemplateError(`cannot convert ${JSON.stringify(value)} to an integer`)
}

const str = (value: unknown): string => value === undefined || value === null ? '' : typeof value === 'string' ? value : typeof value === 'object' ? JSON.stringify(value) : String(value)

function comparable (a: unknown, b: unknown): void {
  if (a === undefined || a === null || b === undefined || b === null) return
  if (typeof a !== typeof b) throw new TemplateError(`incompatible types for comparison: ${JSON.stringify(a)} and ${JSON.stringify(b)}`)
}

function compare (a: unknown, b: unknown): number {
  comparable(a, b)
  if (typeof a === 'number' && typeof b === 'number') return a - b
  if (typeof a === 'string' && typeof b === 'string') return a < b ? -1 : a > b ? 1 : 0
  throw new TemplateError(`cannot order ${JSON.stringify(a)} and ${JSON.stringify(b)}`)
}

function sortKeys (value: unknown): unknown {
  if (Array.isArray(value)) return value.map(sortKeys)
  if (isMap(value)) return Object.fromEntries(Object.keys(value).sort().map(k => [k, sortKeys(value[k])]))
  return value
}

/** Go's fmt verbs the chart uses: %s %d %v %q %%. */
function printf (format: unknown, ...args: unknown[]): string {
  let i = 0
  return String(format).replace(/%([sdvq%])/g, (_, verb: string) => {
    if (verb === '%') return '%'
    const arg = args[i++]
    if (verb === 'd') return String(toInt(arg))
    if (verb === 'q') return JSON.stringify(str(arg))
    return str(arg)
  })
}

const indent = (spaces: unknown, text: unknown) => {
  const pad = ' '.repeat(toInt(spaces))
  return pad + str(text).replace(/\n/g, `\n${pad}`)
}

export const FUNCTIONS: Record<string, Fn> = {
  default: (fallback, value) => empty(value) ? fallback : value,
  empty: value => empty(value),
  required: (message, value) => {
    if (value === undefined || value === null || value === '') throw new TemplateError(str(message))
    return value
  },
  fail: message => { throw new TemplateError(str(message)) },
  quote: (...values) => values.filter(v => v !== undefined && v !== null).map(v => JSON.stringify(str(v))).join(' '),
  squote: (...values) => values.filter(v => v !== undefined && v !== null).map(v => `'${str(v)}'`).join(' '),
  toYaml: value => stringify(value ?? null, { sortMapEntries: true, indentSeq: false, lineWidth: 0 }).replace(/\n$/, ''),
  fromYaml: text => parseYaml(str(text), { version: '1.1' }) ?? {},
  toJson: value => JSON.stringify(sortKeys(value) ?? null),
  indent,
  nindent: (spaces, text) => `\n${indent(spaces, text)}`,
  printf,
  print: (...values) => values.map(str).join(''),
  toString: (value: unknown) => str(value),
  int: value => toInt(value),
  int64: value => toInt(value),
  add: (...values) => values.reduce<number>((sum, v) => sum + toInt(v), 0),
  add1: value => toInt(value) + 1,
  sub: (a, b) => toInt(a) - toInt(b),
  mul: (...values) => values.reduce<number>((product, v) => product * toInt(v), 1),
  div: (a, b) => {
    if (toInt(b) === 0) throw new TemplateError('division by zero')
    return Math.trunc(toInt(a) / toInt(b))
  },
  mod: (a, b) => toInt(a) % toInt(b),
  max: (...values) => Math.max(...values.map(toInt)),
  min: (...values) => Math.min(...values.map(toInt)),
  eq: (a, ...others) => others.some(b => { comparable(a, b); return (a ?? null) === (b ?? null) }),
  ne: (a, b) => { comparable(a, b); return (a ?? null) !== (b ?? null) },
  lt: (a, b) => compare(a, b) < 0,
  le: (a, b) => compare(a, b) <= 0,
  gt: (a, b) => compare(a, b) > 0,
  ge: (a, b) => compare(a, b) >= 0,
  not: value => empty(value),
  ternary: (whenTrue, whenFalse, condition) => condition === true ? whenTrue : whenFalse,
  len: value => Array.isArray(value) || typeof value === 'string' ? value.length : isMap(value) ? Object.keys(value).length : 0,
  list: (...values) => values,
  dict: (...pairs) => {
    const out: Record<string, unknown> = {}
    for (let i = 0; i < pairs.length; i += 2) out[str(pairs[i])] = pairs[i + 1]
    return out
  },
  get: (map, key) => isMap(map) && Object.hasOwn(map, str(key)) ? map[str(key)] : '',
  hasKey: (map, key) => isMap(map) && Object.hasOwn(map, str(key)),
  keys: (...maps) => maps.flatMap(m => isMap(m) ? Object.keys(m) : []),
  sortAlpha: list => (Array.isArray(list) ? list : []).map(str).sort(),
  has: (needle, list) => Array.isArray(list) && list.includes(needle),
  concat: (...lists) => lists.flatMap(l => Array.isArray(l) ? l : []),
  join: (separator, list) => (Array.isArray(list) ? list : []).map(str).join(str(separator)),
  splitList: (separator, text) => str(text).split(str(separator)),
  upper: text => str(text).toUpperCase(),
  lower: text => str(text).toLowerCase(),
  trim: text => str(text).trim(),
  trimSuffix: (suffix, text) => str(text).endsWith(str(suffix)) ? str(text).slice(0, -str(suffix).length || undefined) : str(text),
  trimPrefix: (prefix, text) => str(text).startsWith(str(prefix)) ? str(text).slice(str(prefix).length) : str(text),
  trunc: (length, text) => str(text).slice(0, toInt(length)),
  replace: (from, to, text) => str(text).split(str(from)).join(str(to)),
  contains: (needle, text) => str(text).includes(str(needle)),
  hasPrefix: (prefix, text) => str(text).startsWith(str(prefix)),
  hasSuffix: (suffix, text) => str(text).endsWith(str(suffix)),
  urlParse: text => {
    const url = new URL(str(text))
    return { scheme: url.protocol.replace(/:$/, ''), host: url.host, hostname: url.hostname, path: url.pathname, query: url.search.replace(/^\?/, ''), fragment: url.hash.replace(/^#/, ''), userinfo: url.username, opaque: '' }
  },
  b64enc: text => Buffer.from(str(text)).toString('base64'),
  sha256sum: text => createHash('sha256').update(str(text)).digest('hex'),
  kindIs: (kind, value) => {
    const kindOf = Array.isArray(value) ? 'slice' : isMap(value) ? 'map' : typeof value === 'string' ? 'string' : typeof value === 'boolean' ? 'bool' : typeof value === 'number' ? (Number.isInteger(value) ? 'int' : 'float64') : 'invalid'
    return kindOf === kind
  }
}

function deepCopy (value: unknown): unknown {
  if (Array.isArray(value)) return value.map(deepCopy)
  if (isMap(value)) return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, deepCopy(v)]))
  return value
}

/**
 * Sprig's mergeOverwrite (mergo WithOverride): later maps win, nested maps merge,
 * into (and returning) the first; but an empty value (false, 0, "", nil, an
 * empty list or map) never overrides, so `enabled: false` cannot turn a default
 * off through it: the chart merges service settings with `set` instead.
 */
function mergeOverwrite (target: unknown, ...sources: unknown[]): unknown {
  if (!isMap(target)) throw new TemplateError('mergeOverwrite needs maps')
  for (const source of sources) {
    if (!isMap(source)) continue
    for (const [key, value] of Object.entries(source)) {
      if (empty(value)) continue
      target[key] = isMap(value) && isMap(target[key]) ? mergeOverwrite(target[key], value) : deepCopy(value)
    }
  }
  return target
}

/** Sprig's set: changes the map and returns it. */
function set (map: unknown, key: unknown, value: unknown): unknown {
  if (!isMap(map)) throw new TemplateError('set needs a map')
  map[str(key)] = value
  return map
}

FUNCTIONS.deepCopy = deepCopy
FUNCTIONS.mergeOverwrite = mergeOverwrite
FUNCTIONS.set = set
