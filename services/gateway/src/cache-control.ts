/** The directives of a Cache-Control header, names lower-cased; a directive without an argument maps to `true`. */
export type CacheDirectives = Map<string, string | true>

/** Set when a directive could not be read: nothing is stored on the strength of a header half understood. */
export const MALFORMED = ' malformed'

const DIRECTIVE = /^([!#$%&'*+.^_`|~0-9A-Za-z-]+)(?:=(?:"((?:[^"\\]|\\.)*)"|([!#$%&'*+.^_`|~0-9A-Za-z-]*)))?$/

/** Splits on the commas outside quoted strings (`private="set-cookie, x-a"` is one directive). */
function directiveTexts (text: string): string[] {
  const parts: string[] = []
  let start = 0
  let quoted = false
  for (let i = 0; i < text.length; i++) {
    const c = text[i]
    if (quoted && c === '\\') i++
    else if (c === '"') quoted = !quoted
    else if (c === ',' && !quoted) { parts.push(text.slice(start, i)); start = i + 1 }
  }
  parts.push(text.slice(start))
  return parts.map(part => part.trim()).filter(Boolean)
}

/** Parses `Cache-Control` (RFC 9111 §5.2); an unreadable directive adds MALFORMED. */
export function parseCacheControl (value: string | string[] | number | undefined): CacheDirectives {
  const directives: CacheDirectives = new Map()
  if (value === undefined) return directives
  for (const part of directiveTexts(Array.isArray(value) ? value.join(',') : String(value))) {
    const match = DIRECTIVE.exec(part.replace(/\s*=\s*/, '='))
    if (!match) { directives.set(MALFORMED, true); continue }
    const name = match[1]!.toLowerCase()
    // Conflicting duplicates (max-age twice) make the header unreadable (RFC 9111 §4.2.1 lets a cache be strict).
    if (directives.has(name)) directives.set(MALFORMED, true)
    directives.set(name, match[2] ?? match[3] ?? true)
  }
  return directives
}

/** A delta-seconds argument (`max-age=300`), or undefined when absent or not a non-negative integer. */
export function deltaSeconds (directives: CacheDirectives, name: string): number | undefined {
  const value = directives.get(name)
  if (typeof value !== 'string' || !/^\d{1,10}$/.test(value)) return undefined
  return Number(value)
}

/** The header names a `Vary` lists, lower-cased and sorted; `['*']` when it varies on everything. */
export function varyNames (value: string | string[] | number | undefined): string[] {
  if (value === undefined) return []
  const text = Array.isArray(value) ? value.join(',') : String(value)
  const names = new Set(text.split(',').map(name => name.trim().toLowerCase()).filter(Boolean))
  return names.has('*') ? ['*'] : [...names].sort()
}

export interface ResponseFacts {
  status: number
  cacheControl: string | string[] | number | undefined
  vary: string | string[] | number | undefined
  setCookie: boolean
  /** The request carried Authorization or Cookie: someone's own answer unless the service says `public`. */
  requestCredentials: boolean
}

export type Storability =
  | { store: true, lifetimeSeconds: number, explicitPublic: boolean, vary: string[] }
  | { store: false, reason: string }

/**
 * Whether a shared cache may keep this answer to a GET, and for how long.
 * Stricter than RFC 9111 §3 on purpose: only a 200 with an explicit
 * `s-maxage` or `max-age`; never `private`, `no-store`, `no-cache` (nothing
 * is revalidated here), a Set-Cookie or `Vary: *`; and an answer to a request
 * with credentials only when it says `public` (§3.5).
 */
export function storability (facts: ResponseFacts): Storability {
  if (facts.status !== 200) return { store: false, reason: 'status' }
  if (facts.setCookie) return { store: false, reason: 'set-cookie' }
  const directives = parseCacheControl(facts.cacheControl)
  for (const refusal of ['private', 'no-store', 'no-cache', MALFORMED]) {
    if (directives.has(refusal)) return { store: false, reason: refusal }
  }
  const explicitPublic = directives.has('public')
  if (facts.requestCredentials && !explicitPublic) return { store: false, reason: 'credentials' }
  const vary = varyNames(facts.vary)
  if (vary[0] === '*') return { store: false, reason: 'vary' }
  const lifetimeSeconds = deltaSeconds(directives, 's-maxage') ?? deltaSeconds(directives, 'max-age')
  if (lifetimeSeconds === undefined || lifetimeSeconds === 0) return { store: false, reason: 'no freshness' }
  return { store: true, lifetimeSeconds, explicitPublic, vary }
}
