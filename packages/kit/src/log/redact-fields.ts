import pino from 'pino'
import { redactUrlsIn } from './redact-url.ts'

/**
 * Deep redaction of what a log call is given, whatever the depth: a member
 * named with a secret word (`password`, `newPassword`, `refresh_token`,
 * `smsCode`, `otp`, `clientSecret`...) becomes `[redacted]`, and a string that
 * holds a URL with a query loses the query's values. Only plain objects and
 * arrays are walked; an Error goes to `redactError`, the logger's `err` serializer.
 */
const SECRET_WORD = /^(password|passwd|passphrase|pwd|token|code|otp|totp|secret|authorization|cookie|sealed|credential|credentials|assertion|signature)s?$/
const MAX_DEPTH = 8

export function isSecretName (name: string): boolean {
  return name
    .replace(/([a-z0-9])([A-Z])/g, '$1 $2')
    .replace(/([A-Z]+)([A-Z][a-z])/g, '$1 $2')
    .toLowerCase()
    .split(/[^a-z0-9]+/)
    .some(word => SECRET_WORD.test(word))
}

const isPlain = (value: object) => {
  const proto = Object.getPrototypeOf(value)
  return proto === Object.prototype || proto === null
}

/** A copy with secrets redacted; the value itself when there was nothing to redact (no copy on the common path). */
export function redactFields (value: unknown, depth = 0): unknown {
  if (typeof value === 'string') return redactUrlsIn(value)
  if (value === null || typeof value !== 'object' || depth >= MAX_DEPTH) return value
  if (Array.isArray(value)) {
    let changed = false
    const items = value.map(item => { const r = redactFields(item, depth + 1); changed ||= r !== item; return r })
    return changed ? items : value
  }
  if (!isPlain(value)) return value
  let copy: Record<string, unknown> | undefined
  for (const [name, member] of Object.entries(value)) {
    const redacted = isSecretName(name) && member !== undefined && member !== null ? '[redacted]' : redactFields(member, depth + 1)
    if (redacted !== member) {
      copy ??= { ...value }
      copy[name] = redacted
    }
  }
  return copy ?? value
}

const ERROR_TEXT = new Set(['type', 'message', 'stack'])
// The prototype of what pino's standard serializer makes of an error.
const SERIALIZED_ERROR: unknown = Object.getPrototypeOf(pino.stdSerializers.err(new Error('probe')))

/** Redacts a serialized error in place: URLs in its message and stack, and its other members as `redactFields` would. */
function redactSerialized (serialized: Record<string, unknown>, depth: number): void {
  for (const name in serialized) {
    const member = serialized[name]
    if (member === undefined || member === null) continue
    if (ERROR_TEXT.has(name)) {
      if (typeof member === 'string') serialized[name] = redactUrlsIn(member)
    } else if (name === 'aggregateErrors' && Array.isArray(member)) {
      serialized[name] = member.map(item => redactError(item, depth + 1))
    } else if (isSecretName(name)) {
      serialized[name] = '[redacted]'
    } else if (member instanceof Object && Object.getPrototypeOf(member) === SERIALIZED_ERROR && depth + 1 < MAX_DEPTH) {
      // A nested error the standard serializer already serialized.
      redactSerialized(member as Record<string, unknown>, depth + 1)
    } else {
      serialized[name] = redactFields(member, depth + 1)
    }
  }
}

/**
 * pino's standard `err` serializer (type, message and stack with their causes,
 * aggregate errors, the error's own members), then the same redaction as any
 * other field: an `err.message` that quotes a URL keeps its path, not its query.
 */
export function redactError (err: unknown, depth = 0): unknown {
  const serialized: unknown = pino.stdSerializers.err(err as Error)
  if (serialized === null || typeof serialized !== 'object') return serialized
  if (serialized === err) return redactFields(err, depth)
  redactSerialized(serialized as Record<string, unknown>, depth)
  return serialized
}
