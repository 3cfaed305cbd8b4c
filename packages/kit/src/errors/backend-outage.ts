import { AppError } from './app-error.ts'
import { KitErrors } from './kit-errors.ts'

/** Seconds a client is asked to wait before trying again while a backend is unreachable. */
export const OUTAGE_RETRY_AFTER_SECONDS = 2

// Socket-level failures: the server is down, restarting, or the network dropped.
const SOCKET_CODES = new Set([
  'ECONNREFUSED', 'ECONNRESET', 'ECONNABORTED', 'EPIPE', 'ETIMEDOUT', 'EHOSTUNREACH', 'ENETUNREACH',
  'ENOTFOUND', 'EAI_AGAIN', 'ERR_SOCKET_CLOSED'
])

// SQLSTATEs a PostgreSQL server (or PgBouncer) sends while it cannot serve:
// class 08 (connection exception), shutting down, starting up, out of connections.
const SQLSTATE_OUTAGE = /^(08...|57P01|57P02|57P03|53300|53400)$/

// node-postgres and ioredis report lost connections by message only.
const MESSAGES = [
  /^Connection terminated/,
  /^timeout exceeded when trying to connect/,
  /Client has encountered a connection error and is not queryable/,
  /^Client was closed and is not queryable/,
  /^Connection is closed\.?$/,
  /^Command timed out/,
  /Reached the max retries per request limit/,
  /Stream isn't writeable/
]

function codesOf (err: unknown): { code: string | undefined, message: string } {
  const e = err as { code?: unknown, message?: unknown }
  return { code: typeof e?.code === 'string' ? e.code : undefined, message: typeof e?.message === 'string' ? e.message : '' }
}

/** True when `err` says a database, cache or broker could not be reached, not that the request was wrong. */
export function isBackendOutage (err: unknown): boolean {
  if (err instanceof AppError) return false
  if (err instanceof AggregateError && err.errors.some(isBackendOutage)) return true
  const { code, message } = codesOf(err)
  if (code && (SOCKET_CODES.has(code) || SQLSTATE_OUTAGE.test(code))) return true
  return MESSAGES.some(pattern => pattern.test(message))
}

/** A 503 `unavailable` with Retry-After for an outage; any other error unchanged. */
export function asOutage (err: unknown, backend: 'database' | 'cache' | 'broker' | 'backend'): unknown {
  if (!isBackendOutage(err)) return err
  return KitErrors.unavailable({
    detail: `${backend === 'backend' ? 'A backend' : `The ${backend}`} is unreachable right now; try again shortly`,
    headers: { 'retry-after': String(OUTAGE_RETRY_AFTER_SECONDS) },
    cause: err
  })
}
