/** The header an instance that stopped accepting puts on its 503: the request was not processed. */
export const INSTANCE_CLOSING_HEADER = 'x-instance-closing'

/**
 * The header a draining instance puts on every answer: it served this one,
 * but callers should send it nothing new (it is about to stop accepting, and
 * a request racing with that could be cut off after it was sent).
 */
export const INSTANCE_DRAINING_HEADER = 'x-instance-draining'

/** An answer from an instance that is leaving the rotation. */
export function isDrainingAnswer (headers: Headers | Record<string, unknown>): boolean {
  return (headers instanceof Headers ? headers.get(INSTANCE_DRAINING_HEADER) : headers[INSTANCE_DRAINING_HEADER]) === '1'
}

// The connection was never made, so the request never left: any method may go elsewhere.
const NOT_SENT = new Set([
  'ECONNREFUSED', 'EHOSTUNREACH', 'ENETUNREACH', 'ENOTFOUND', 'EAI_AGAIN', 'UND_ERR_CONNECT_TIMEOUT'
])

interface Coded { code?: unknown, name?: unknown, cause?: unknown, errors?: unknown }

/**
 * The failure code of a fetch/undici error: its own, its cause's, or that of
 * the first of an AggregateError (a connect attempt over several addresses).
 * `timed out` when the request's own timeout fired.
 */
export function connectionFailure (err: unknown): string {
  for (let e = err as Coded | undefined, depth = 0; e && depth < 4; depth++) {
    if (e.name === 'TimeoutError') return 'timed out'
    if (typeof e.code === 'string' && e.code !== 'ABORT_ERR') return e.code
    e = (e.cause ?? (Array.isArray(e.errors) ? e.errors[0] : undefined)) as Coded | undefined
  }
  return 'unknown'
}

/** True for a failure that happened before any byte of the request was sent. */
export const notSent = (failure: string): boolean => NOT_SENT.has(failure)

/** A 503 from an instance that stopped accepting: it did not process the request. */
export function isClosingAnswer (res: { status: number, headers: Headers | Record<string, unknown> }): boolean {
  if (res.status !== 503) return false
  const value = res.headers instanceof Headers ? res.headers.get(INSTANCE_CLOSING_HEADER) : res.headers[INSTANCE_CLOSING_HEADER]
  return value === '1'
}
