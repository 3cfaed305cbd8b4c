import { AppError, KitErrors } from '../errors/index.ts'
import type { FieldError } from '../errors/index.ts'
import { internalCredential, SERVICE_TOKEN_HEADER } from '../http/internal-auth.ts'
import type { CredentialSigner } from '../http/internal-auth.ts'
import { connectionFailure, isClosingAnswer, isDrainingAnswer, notSent } from './connection-failure.ts'
import { createDiscoveredPool } from './discovery.ts'
import { parseInstanceSources } from './instance-specs.ts'
import { injectTraceHeaders } from '../tracing/trace-context.ts'
import { SpanKind } from '../tracing/tracing.ts'
import type { Tracing } from '../tracing/tracing.ts'

export interface ServiceClientOptions {
  /** The target service's instances; calls rotate over them. Entries may be `dns://name:port` (every address is an instance, re-resolved every 5 s). */
  baseUrls: string[]
  /** Signs each call's short-lived credential (caller, callee, internal keyring); unset: calls go without one. */
  credential?: CredentialSigner | undefined
  timeoutMs: number
  /** Extra attempts for idempotent calls (GET, PUT, DELETE, or `idempotent: true`) after a 5xx, reset or timeout. */
  retries?: number
  /** Wait before probing an instance marked down (GET /readyz); it backs off while the instance stays down. */
  cooldownMs?: number
  now?: () => number
  /** Overrides the readiness probe (tests). */
  probe?: (url: string) => Promise<boolean>
  /** A client span per call, its `traceparent` sent along; off: nothing added. */
  tracing?: Tracing | undefined
  /** The service called, for span names. */
  callee?: string | undefined
}

export interface CallOptions {
  body?: unknown
  query?: Record<string, string | number | boolean | undefined>
  requestId?: string
  /** Safe to send twice (e.g. a read, or a write keyed by an id). */
  idempotent?: boolean
}

export interface ServiceClient {
  /** Resolves with the parsed JSON body (undefined for 204); a problem response becomes the upstream's AppError. */
  call<T = unknown>(method: string, path: string, options?: CallOptions): Promise<T>
  /** Stops probing instances marked down. */
  close(): void
}

const IDEMPOTENT_METHODS = new Set(['GET', 'HEAD', 'PUT', 'DELETE', 'OPTIONS'])
const DNS_REFRESH_MS = 5000

/**
 * `not-sent`: the instance never took the request (refused, or it answered that
 * it is closing): safe to send elsewhere whatever the method. `maybe-sent`: the
 * connection broke or timed out after the request may have been processed.
 * `answered`: a live instance answered 5xx.
 */
type FailureKind = 'not-sent' | 'maybe-sent' | 'answered'

class RetryableFailure extends Error {
  readonly kind: FailureKind
  constructor (message: string, kind: FailureKind, options?: ErrorOptions) {
    super(message, options)
    this.kind = kind
  }
}

const PROBLEM_MEMBERS = new Set(['type', 'title', 'status', 'detail', 'code', 'requestId', 'errors'])

/** The upstream's problem as our own AppError: code, status, field errors, extra members and Retry-After survive. */
async function toError (res: Response): Promise<AppError> {
  const text = await res.text()
  try {
    const problem = JSON.parse(text) as { code?: string, title?: string, detail?: string, errors?: FieldError[] } & Record<string, unknown>
    if (problem.code) {
      const extra = Object.fromEntries(Object.entries(problem).filter(([key]) => !PROBLEM_MEMBERS.has(key)))
      const retryAfter = res.headers.get('retry-after')
      return new AppError(problem.code, res.status, problem.title ?? 'Upstream error', {
        detail: problem.detail ?? problem.title ?? '',
        ...(Array.isArray(problem.errors) ? { errors: problem.errors } : {}),
        ...(Object.keys(extra).length > 0 ? { extra } : {}),
        ...(retryAfter ? { headers: { 'retry-after': retryAfter } } : {})
      })
    }
  } catch { /* not a problem body */ }
  return new AppError(res.status >= 500 ? 'unavailable' : 'upstream_error', res.status >= 500 ? 503 : res.status, 'Upstream error', { detail: `upstream answered ${res.status}` })
}

/** Calls another service's `/internal/*` routes with a credential signed for it, a timeout, and retries only where repeating is safe. */
export function createServiceClient (options: ServiceClientOptions): ServiceClient {
  const retries = options.retries ?? 1
  const tracing = options.tracing?.enabled ? options.tracing : undefined
  const pool = createDiscoveredPool({
    sources: parseInstanceSources(options.baseUrls, 'service URL list'),
    refreshMs: DNS_REFRESH_MS,
    cooldownMs: options.cooldownMs ?? 500,
    ...(options.now ? { now: options.now } : {}),
    ...(options.probe ? { probe: options.probe } : {})
  })

  async function attempt (method: string, base: string, url: string, init: CallOptions): Promise<unknown> {
    const headers: Record<string, string> = { accept: 'application/json' }
    // Signed per attempt, so a retry after a slow failure still carries a fresh one (a new jti: the callee accepts each once),
    // for this method and the path as fetch sends it (normalised, without the query).
    if (options.credential) headers[SERVICE_TOKEN_HEADER] = internalCredential(options.credential, { method, path: new URL(url).pathname })
    if (init.requestId) headers['x-request-id'] = init.requestId
    if (tracing) injectTraceHeaders(headers)
    if (init.body !== undefined) headers['content-type'] = 'application/json'
    let res: Response
    try {
      res = await fetch(url, {
        method,
        headers,
        body: init.body === undefined ? null : JSON.stringify(init.body),
        signal: AbortSignal.timeout(options.timeoutMs)
      })
    } catch (err) {
      const failure = connectionFailure(err)
      throw new RetryableFailure(failure === 'timed out' ? failure : `unreachable (${failure})`, notSent(failure) ? 'not-sent' : 'maybe-sent', { cause: err })
    }
    // Served, but the instance is leaving: nothing new goes there (a probe brings back its successor).
    const draining = isDrainingAnswer(res.headers)
    if (draining) pool.markDown(base)
    if (isClosingAnswer(res)) {
      await res.body?.cancel()
      throw new RetryableFailure('instance closing', 'not-sent')
    }
    if (res.status === 502 || res.status === 503 || res.status === 504) {
      await res.body?.cancel()
      throw new RetryableFailure(`answered ${res.status}`, 'answered')
    }
    if (!draining) pool.markUp(base)
    if (!res.ok) throw await toError(res)
    if (res.status === 204) return undefined
    return res.json()
  }

  async function call<T> (method: string, path: string, init: CallOptions = {}): Promise<T> {
    const upper = method.toUpperCase()
    const canRetry = init.idempotent ?? IDEMPOTENT_METHODS.has(upper)
    let retriesLeft = canRetry ? retries : 0
    const tried = new Set<string>()
    const query = init.query
      ? '?' + new URLSearchParams(Object.entries(init.query).filter(([, v]) => v !== undefined).map(([k, v]): [string, string] => [k, String(v)])).toString()
      : ''
    let last: RetryableFailure
    await pool.ready
    for (;;) {
      const base = pool.pick(tried)
      tried.add(base)
      const end = pool.begin(base)
      try {
        return await attempt(upper, base, `${base}${path}${query}`, init) as T
      } catch (err) {
        if (!(err instanceof RetryableFailure)) throw err
        last = err
      } finally {
        end()
      }
      if (last.kind === 'not-sent') {
        pool.markDown(base)
        // Every instance gets one chance at a request none of them took.
        if (tried.size < pool.urls.length) continue
      } else if (last.kind === 'maybe-sent') {
        pool.suspect(base)
      }
      if (retriesLeft-- <= 0) break
    }
    throw KitErrors.unavailable({ detail: `${path}: ${last.message}`, cause: last })
  }

  const callee = options.callee ?? 'service'
  function tracedCall<T> (method: string, path: string, init?: CallOptions): Promise<T> {
    const upper = method.toUpperCase()
    return tracing!.span(`${upper} ${callee}`, {
      kind: SpanKind.CLIENT,
      attributes: { 'http.request.method': upper, 'url.path': path, 'peer.service': callee }
    }, () => call<T>(method, path, init))
  }

  return {
    call: tracing ? tracedCall : call,
    close: () => pool.close()
  }
}
