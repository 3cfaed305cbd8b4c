import { isSecretName } from '@app/contracts/events'

export { isSecretName }

// PostgreSQL jsonb holds neither U+0000 nor an unpaired surrogate; an event carrying one must still be stored.
// eslint-disable-next-line no-control-regex -- U+0000 is exactly what must be found
const UNSTORABLE = /\u0000|[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/g
const storable = (text: string) => text.replace(UNSTORABLE, '\uFFFD')

/**
 * A copy of a JSON value without secret-named members; U+0000 and unpaired surrogates become U+FFFD.
 * Events never carry codes, tokens or passwords by contract (the same word list refuses them at
 * the consumer); as defence in depth the trail drops such members, at any depth, before hashing.
 */
export function redact (value: unknown): unknown {
  if (typeof value === 'string') return storable(value)
  if (value === null || typeof value !== 'object') return value
  if (Array.isArray(value)) return value.map(redact)
  // fromEntries defines own members, so a member named `__proto__` stays data.
  return Object.fromEntries(Object.entries(value)
    .filter(([name]) => !isSecretName(name))
    .map(([name, member]) => [storable(name), redact(member)]))
}
