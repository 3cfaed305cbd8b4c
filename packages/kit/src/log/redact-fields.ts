import { redactUrlsIn } from './redact-url.ts'

/**
 * Deep redaction of what a log call is given, whatever the depth: a member
 * named with a secret word (`password`, `newPassword`, `refresh_token`,
 * `smsCode`, `otp`, `clientSecret`...) becomes `[redacted]`, and a string that
 * holds a URL with a query loses the query's values. Only plain objects and
 * arrays are walked (an Error goes to pino's serializer as it is).
 */
const SECRET_WORD = /^(password|passwd|passphrase|pwd|token|code|otp|totp|secret|authorization|cookie|sealed|credential|credentials)s?$/
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
