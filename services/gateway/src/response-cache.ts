import { pipeline, Transform } from 'node:stream'
import type { Readable } from 'node:stream'
import type { FastifyReply, FastifyRequest } from 'fastify'
import { LRUCache } from 'lru-cache'
import type { App } from '@app/kit/http'
import { deltaSeconds, parseCacheControl, storability } from './cache-control.ts'

declare module 'fastify' {
  interface FastifyRequest {
    /** Set by the response cache for a GET or HEAD it looked up; null otherwise. */
    responseCache: CacheLookup | null
  }
}

interface CacheLookup {
  /** The request's path and query, as the upstream receives them. */
  primary: string
  hit: boolean
  /** The cache's invalidation count when the request was looked up: an answer read before a later invalidation is not kept. */
  mark: number
}

type StoredHeaders = Record<string, string | string[]>

interface CachedResponse {
  status: number
  headers: StoredHeaders
  body: Buffer
  /** Epoch ms when the answer arrived. */
  storedAt: number
  /** The upstream's own `Age`, in seconds (RFC 9111 §4.2.3). */
  initialAgeSeconds: number
  lifetimeSeconds: number
  /** The answer said `public`: the only kind served to a request with credentials. */
  explicitPublic: boolean
}

/** Per path: the headers its answers vary on, and a generation that an invalidation moves on. */
interface PathIndex {
  vary: string[]
  generation: number
}

export interface ResponseCacheOptions {
  /** At most this many stored answers. */
  maxEntries: number
  /** At most this many bytes of stored bodies and headers together. */
  maxBytes: number
  /** A larger answer is passed through, never buffered. */
  maxEntryBytes: number
  /** Epoch milliseconds. */
  now?: () => number
}

// Hop-by-hop, recomputed, or the gateway's own per-request answer: never replayed from the cache.
const NOT_STORED = new Set([
  'connection', 'keep-alive', 'proxy-connection', 'transfer-encoding', 'te', 'trailer', 'upgrade',
  'content-length', 'set-cookie', 'age', 'x-cache', 'x-request-id', 'retry-after', 'strict-transport-security', 'x-instance-draining'
])
const NOT_STORED_PREFIXES = ['ratelimit', 'x-ratelimit', 'access-control-']

// A longer key (path, query and the Vary'd header values) is not kept: the paths index stays bounded too.
export const MAX_KEY_LENGTH = 4096

const storedHeaderName = (name: string) => !NOT_STORED.has(name) && !NOT_STORED_PREFIXES.some(prefix => name.startsWith(prefix))

function storedHeaders (headers: ReturnType<FastifyReply['getHeaders']>): StoredHeaders {
  const kept: StoredHeaders = {}
  for (const [name, value] of Object.entries(headers)) {
    if (value !== undefined && storedHeaderName(name)) kept[name] = Array.isArray(value) ? value : String(value)
  }
  return kept
}

const hasCredentials = (request: FastifyRequest) => request.headers.authorization !== undefined || request.headers.cookie !== undefined

/** The request's value of each header the answer varies on; absent and empty differ. */
function variantKey (request: FastifyRequest, index: PathIndex, primary: string): string {
  let key = `${index.generation}\n${primary}`
  for (const name of index.vary) {
    const value = request.headers[name]
    key += `\n${name}${value === undefined ? '\u0000' : `:${Array.isArray(value) ? value.join(', ') : value}`}`
  }
  return key
}

/** Copies `source` on to the client while keeping up to `maxBytes` of it; `save` gets the whole body once it ended complete. */
function tee (source: Readable, maxBytes: number, expectedBytes: number | undefined, save: (body: Buffer) => void): Readable {
  const chunks: Buffer[] = []
  let size = 0
  let keep = true
  const copy = new Transform({
    transform (chunk: Buffer | string, _encoding, next) {
      if (keep) {
        const bytes = Buffer.isBuffer(chunk) ? chunk : Buffer.from(chunk)
        size += bytes.length
        if (size > maxBytes) { keep = false; chunks.length = 0 } else chunks.push(bytes)
      }
      next(null, chunk)
    },
    flush (next) {
      if (keep && (expectedBytes === undefined || expectedBytes === size)) save(Buffer.concat(chunks, size))
      next()
    }
  })
  // An upstream failure or a client gone destroys both; a body cut short is never saved.
  pipeline(source, copy, () => {})
  return copy
}

export type ResponseCache = ReturnType<typeof createResponseCache>

/**
 * A bounded, in-memory shared cache (RFC 9111) of the answers services mark
 * cacheable. Keyed by path and query plus the request's value of every header
 * the answer's `Vary` names; see `storability` for what is never kept.
 */
export function createResponseCache (options: ResponseCacheOptions) {
  const now = options.now ?? Date.now
  const maxEntryBytes = Math.min(options.maxEntryBytes, options.maxBytes)
  const paths = new LRUCache<string, PathIndex>({ max: options.maxEntries })
  const entries = new LRUCache<string, CachedResponse>({
    max: options.maxEntries,
    maxSize: options.maxBytes,
    maxEntrySize: maxEntryBytes,
    // The key (up to MAX_KEY_LENGTH) counts, as does its path's share of the paths index.
    sizeCalculation: (entry, key) => entry.body.length + JSON.stringify(entry.headers).length + 2 * key.length + 64
  })
  let generation = 0
  // Invalidations so far; when each path was last invalidated, and the latest of those the bounded map forgot.
  let invalidations = 0
  let forgottenUpTo = 0
  const invalidatedAt = new LRUCache<string, number>({
    max: Math.max(options.maxEntries, 1),
    dispose: (at, _primary, reason) => { if (reason === 'evict') forgottenUpTo = Math.max(forgottenUpTo, at) }
  })
  const invalidatedSince = (primary: string, mark: number) => (invalidatedAt.peek(primary) ?? 0) > mark || forgottenUpTo > mark
  /** What lookups found, for the metrics (read at scrape time). */
  const counts = { hit: 0, miss: 0 }

  const ageSeconds = (entry: CachedResponse) => entry.initialAgeSeconds + Math.max(0, Math.floor((now() - entry.storedAt) / 1000))

  return {
    maxEntryBytes,
    counts,
    get size () { return entries.size },
    get bytes () { return entries.calculatedSize },
    /** Taken when a request is looked up, for `offer`. */
    get mark () { return invalidations },

    /** The fresh stored answer for this request, with its age in seconds. */
    find (request: FastifyRequest, primary: string): { entry: CachedResponse, age: number } | undefined {
      const index = paths.get(primary)
      if (!index) return undefined
      const key = variantKey(request, index, primary)
      const entry = entries.get(key)
      if (!entry) return undefined
      const age = ageSeconds(entry)
      if (age >= entry.lifetimeSeconds) {
        entries.delete(key)
        return undefined
      }
      if (hasCredentials(request) && !entry.explicitPublic) return undefined
      return { entry, age }
    },

    /**
     * Keeps the answer to `request` when the rules allow; `body` arrives later for a streamed answer.
     * Not when the path was invalidated since `mark` (its lookup): the answer may predate the change.
     */
    offer (request: FastifyRequest, reply: FastifyReply, primary: string, mark: number): ((body: Buffer) => void) | undefined {
      const verdict = storability({
        status: reply.statusCode,
        cacheControl: reply.getHeader('cache-control'),
        vary: reply.getHeader('vary'),
        setCookie: reply.hasHeader('set-cookie'),
        requestCredentials: hasCredentials(request)
      })
      if (!verdict.store) return undefined
      const storedAt = now()
      const headers = storedHeaders(reply.getHeaders())
      const upstreamAge = Number(reply.getHeader('age') ?? 0)
      const initialAgeSeconds = Number.isSafeInteger(upstreamAge) && upstreamAge > 0 ? upstreamAge : 0
      return (body) => {
        if (invalidatedSince(primary, mark)) return
        let index = paths.get(primary)
        if (!index || index.vary.join() !== verdict.vary.join()) {
          index = { vary: verdict.vary, generation: index?.generation ?? ++generation }
        }
        const key = variantKey(request, index, primary)
        if (key.length > MAX_KEY_LENGTH) return
        if (paths.get(primary) !== index) paths.set(primary, index)
        entries.set(key, {
          status: reply.statusCode, headers, body, storedAt, initialAgeSeconds, lifetimeSeconds: verdict.lifetimeSeconds, explicitPublic: verdict.explicitPublic
        })
      }
    },

    /** An unsafe method on a path: its stored answers are never served again (RFC 9111 §4.4). */
    invalidate (primary: string): void {
      paths.delete(primary)
      // Nothing that long is kept, so nothing to hold back.
      if (primary.length <= MAX_KEY_LENGTH) invalidatedAt.set(primary, ++invalidations)
    }
  }
}

/** The request asked to skip stored answers (`no-cache`, `max-age=0`, `Pragma: no-cache`) or not to store this one (`no-store`). */
function requestDirectives (request: FastifyRequest): { lookup: boolean, store: boolean } {
  const header = request.headers['cache-control']
  if (header === undefined) return { lookup: request.headers.pragma !== 'no-cache', store: true }
  const directives = parseCacheControl(header)
  const store = !directives.has('no-store')
  return { lookup: store && !directives.has('no-cache') && deltaSeconds(directives, 'max-age') !== 0, store }
}

function answerFromCache (request: FastifyRequest, reply: FastifyReply, found: { entry: CachedResponse, age: number }) {
  const { entry, age } = found
  reply.code(entry.status)
  reply.headers(entry.headers)
  reply.header('age', String(age))
  reply.header('x-cache', 'hit')
  reply.header('content-length', String(entry.body.length))
  // Node writes no body for HEAD; the length stays that of the GET.
  reply.send(entry.body)
}

/**
 * Serves fresh stored answers to GET and HEAD (a preHandler: after routing,
 * the policy and every rate limit) and keeps the cacheable answers to GET
 * (onSend: a streamed body is copied while it goes to the client, only when
 * the answer is cacheable and not larger than the entry cap). Answers carry
 * `x-cache: hit` or `miss` and, from the cache, `Age`.
 */
export function installResponseCache (app: App, cache: ResponseCache): void {
  app.decorateRequest('responseCache', null)
  app.addHook('preHandler', (request, reply, done) => {
    const method = request.method
    if (method !== 'GET' && method !== 'HEAD') {
      if (method !== 'OPTIONS') cache.invalidate(request.url)
      return done()
    }
    const mark = cache.mark
    const wanted = requestDirectives(request)
    if (wanted.lookup) {
      const found = cache.find(request, request.url)
      if (found) {
        cache.counts.hit++
        request.responseCache = { primary: request.url, hit: true, mark }
        return answerFromCache(request, reply, found)
      }
    }
    cache.counts.miss++
    reply.header('x-cache', 'miss')
    if (wanted.store && method === 'GET') request.responseCache = { primary: request.url, hit: false, mark }
    done()
  })
  app.addHook('onSend', (request, reply, payload, done) => {
    // Again once the change is answered: a GET that read the old state while it was under way is not kept either.
    if (request.method !== 'GET' && request.method !== 'HEAD' && request.method !== 'OPTIONS' && request.gatewayRoute && reply.statusCode < 400) cache.invalidate(request.url)
    const lookup = request.responseCache
    if (lookup === null || lookup.hit) return done(null, payload)
    const length = reply.getHeader('content-length')
    const expectedBytes = length === undefined ? undefined : Number(length)
    if (expectedBytes !== undefined && !(expectedBytes <= cache.maxEntryBytes)) return done(null, payload)
    const save = cache.offer(request, reply, lookup.primary, lookup.mark)
    if (!save) return done(null, payload)
    if (payload === null || payload === undefined) save(Buffer.alloc(0))
    else if (typeof payload === 'string' || Buffer.isBuffer(payload)) save(Buffer.from(payload))
    else if (typeof (payload as Readable).pipe === 'function') return done(null, tee(payload as Readable, cache.maxEntryBytes, expectedBytes, save))
    done(null, payload)
  })
}
