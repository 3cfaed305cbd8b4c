import { AppError, KitErrors } from '../errors/index.ts'
import type { FieldError } from '../errors/index.ts'
import { SERVICE_TOKEN_HEADER } from '../http/internal-auth.ts'

export interface ServiceClientOptions {
  /** The target service's instances; calls rotate over them. */
  baseUrls: string[]
  secret: string | undefined
  timeoutMs: number
  /** Extra attempts for idempotent calls (GET, PUT, DELETE, or `idempotent: true`). */
  retries?: number
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
}

const IDEMPOTENT_METHODS = new Set(['GET', 'HEAD', 'PUT', 'DELETE', 'OPTIONS'])

class RetryableFailure extends Error {}

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

/** Calls another service's `/internal/*` routes with the service credential, a timeout, and retries only where repeating is safe. */
export function createServiceClient (options: ServiceClientOptions): ServiceClient {
  let next = 0
  const retries = options.retries ?? 1

  async function attempt (method: string, url: string, init: CallOptions): Promise<unknown> {
    const headers: Record<string, string> = { accept: 'application/json' }
    if (options.secret) headers[SERVICE_TOKEN_HEADER] = options.secret
    if (init.requestId) headers['x-request-id'] = init.requestId
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
      throw new RetryableFailure((err as Error).name === 'TimeoutError' ? 'timed out' : 'unreachable', { cause: err })
    }
    if (res.status === 502 || res.status === 503 || res.status === 504) {
      await res.body?.cancel()
      throw new RetryableFailure(`answered ${res.status}`)
    }
    if (!res.ok) throw await toError(res)
    if (res.status === 204) return undefined
    return res.json()
  }

  return {
    async call<T>(method: string, path: string, init: CallOptions = {}) {
      const upper = method.toUpperCase()
      const canRetry = init.idempotent ?? IDEMPOTENT_METHODS.has(upper)
      const attempts = canRetry ? 1 + retries : 1
      const query = init.query
        ? '?' + new URLSearchParams(Object.entries(init.query).filter(([, v]) => v !== undefined).map(([k, v]): [string, string] => [k, String(v)])).toString()
        : ''
      let last: Error | undefined
      for (let i = 0; i < attempts; i++) {
        const base = options.baseUrls[next++ % options.baseUrls.length]
        try {
          return await attempt(upper, `${base}${path}${query}`, init) as T
        } catch (err) {
          if (!(err instanceof RetryableFailure)) throw err
          last = err
        }
      }
      throw KitErrors.unavailable({ detail: `${path}: ${last?.message ?? 'unavailable'}`, cause: last })
    }
  }
}
