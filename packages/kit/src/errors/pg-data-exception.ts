import type { AppError } from './app-error.ts'
import { KitErrors } from './kit-errors.ts'

// SQLSTATE class 22: the value itself is wrong (invalid text encoding 22021,
// invalid text representation 22P02, untranslatable character 22P05, too
// long 22001, out of range 22003, bad datetime 22007/22008...).
const DATA_EXCEPTION = /^22[0-9A-Z]{3}$/

// Services may wrap a store's error; a few levels of `cause` are enough.
const MAX_CAUSE_DEPTH = 4

function dataExceptionState (err: unknown): string | undefined {
  let current = err as { code?: unknown, cause?: unknown } | undefined
  for (let depth = 0; depth < MAX_CAUSE_DEPTH && current && typeof current === 'object'; depth++) {
    if (typeof current.code === 'string' && DATA_EXCEPTION.test(current.code)) return current.code
    current = current.cause as typeof current
  }
  return undefined
}

/** True when PostgreSQL (or PGlite) refused a value as data, not because it was unreachable or broken. */
export function isPgDataException (err: unknown): boolean {
  return dataExceptionState(err) !== undefined
}

/**
 * A safety net behind request validation: PostgreSQL refusing a value the
 * request carried is the client's fault, so a 400 rather than a 500. Validation
 * should have named the field; this cannot, so it says what was refused.
 */
export function invalidDataError (err: unknown): AppError {
  return KitErrors.validation_failed({
    detail: `A value in the request cannot be stored (SQLSTATE ${dataExceptionState(err) ?? 'unknown'})`,
    cause: err
  })
}
