import { isAppError, isBackendOutage } from '../errors/index.ts'

/**
 * A handler failure that says nothing about the message: a backend or another
 * service was unreachable. Retried without counting toward the dead-letter
 * queue, so a database outage longer than the retry schedule parks nothing.
 */
export function isTransientFailure (err: unknown): boolean {
  if (isAppError(err)) return err.status === 503 || err.status === 504
  return isBackendOutage(err)
}
