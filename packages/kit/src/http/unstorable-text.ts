import type { FastifyInstance, FastifyRequest } from 'fastify'
import { KitErrors } from '../errors/index.ts'
import type { FieldError } from '../errors/index.ts'

// With the u flag a paired surrogate is one code point: only unpaired ones match.
const LONE_SURROGATE = /\p{Cs}/u

/**
 * Why a string cannot be stored as text, or undefined when it can.
 * PostgreSQL refuses U+0000 in text, and a lone surrogate has no UTF-8 form:
 * it would be stored as U+FFFD, so two different inputs would become equal.
 */
export function unstorableTextReason (value: string): string | undefined {
  if (value.includes('\u0000')) return 'must not contain the NUL character (U+0000)'
  if (LONE_SURROGATE.test(value)) return 'must be well-formed Unicode (no unpaired surrogates)'
  return undefined
}

// Parsed JSON, query and params only: a proxied body is a stream, whose members are not input.
// The query parser's objects inherit from a prototype-less object, so one level is allowed.
function isPlainObject (value: unknown): value is Record<string, unknown> {
  if (value === null || typeof value !== 'object') return false
  const proto = Object.getPrototypeOf(value)
  return proto === null || proto === Object.prototype || Object.getPrototypeOf(proto) === null
}

const escapePointer = (key: string) => key.replaceAll('~', '~0').replaceAll('/', '~1')

/**
 * The first unstorable string anywhere in `input` (object keys included), as a
 * field error under `/<part>`. Iterative: a JSON body can be nested thousands deep.
 */
export function findUnstorableText (part: string, input: unknown): FieldError | undefined {
  const stack: Array<{ path: string, value: unknown }> = [{ path: `/${part}`, value: input }]
  while (stack.length > 0) {
    const { path, value } = stack.pop()!
    if (typeof value === 'string') {
      const message = unstorableTextReason(value)
      if (message) return { path, message }
    } else if (Array.isArray(value)) {
      for (let i = value.length - 1; i >= 0; i--) stack.push({ path: `${path}/${i}`, value: value[i] })
    } else if (isPlainObject(value)) {
      const entries = Object.entries(value)
      for (let i = entries.length - 1; i >= 0; i--) {
        const [key, child] = entries[i]!
        const childPath = `${path}/${escapePointer(key)}`
        const message = unstorableTextReason(key)
        if (message) return { path: childPath, message: `is a field name that ${message}` }
        stack.push({ path: childPath, value: child })
      }
    }
  }
  return undefined
}

const PARTS = [['params', 'params'], ['querystring', 'query'], ['body', 'body']] as const

/**
 * Answers 400 `validation_failed`, naming the field, for any string in the
 * params, query or body that no text column could hold; before validation, so
 * no handler or store ever sees one.
 */
export function refuseUnstorableText (app: FastifyInstance): void {
  app.addHook('preValidation', async (request: FastifyRequest) => {
    for (const [part, member] of PARTS) {
      const error = findUnstorableText(part, request[member])
      if (error) throw KitErrors.validation_failed({ detail: `${error.path.slice(1)} ${error.message}`, errors: [error] })
    }
  })
}
