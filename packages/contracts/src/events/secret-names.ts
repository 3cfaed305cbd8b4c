import type { TSchema } from '@sinclair/typebox'

/**
 * Events never carry a password, token or code: a member whose name has such
 * a word (`newPassword`, `refresh_token`, `otpCode`, `clientSecret`) makes an
 * event invalid, at any depth, whatever its schema says. Secrets travel only
 * sealed, in a member named `sealed`.
 */
const SECRET_WORD = /^(password|passwd|passphrase|pwd|token|code|otp|secret)s?$/

export function isSecretName (name: string): boolean {
  const words = name
    .replace(/([a-z0-9])([A-Z])/g, '$1 $2')
    .replace(/([A-Z]+)([A-Z][a-z])/g, '$1 $2')
    .toLowerCase()
    .split(/[^a-z0-9]+/)
  return words.some(word => SECRET_WORD.test(word))
}

const pointer = (path: string, name: string) => `${path}/${name.replace(/~/g, '~0').replace(/\//g, '~1')}`
const isObject = (value: unknown): value is Record<string, unknown> => value !== null && typeof value === 'object' && !Array.isArray(value)

/** The member of a union that describes `value`'s shape, if any. */
function variantFor (value: unknown, schema: TSchema): TSchema | undefined {
  const variants = (schema.anyOf ?? []) as TSchema[]
  return variants.find(v => Array.isArray(value) ? v.type === 'array' : isObject(value) && v.type === 'object')
}

/**
 * JSON pointers of the members of `value` named like a secret that `schema`
 * does not declare (the schemas declare none: a test keeps them so). The keys
 * of a map (`Type.Record`, such as preferences keyed by event type) are data,
 * not member names; its values are still searched.
 */
export function secretMembers (value: unknown, schema?: TSchema, path = ''): string[] {
  if (value === null || typeof value !== 'object') return []
  if (schema?.anyOf) return secretMembers(value, variantFor(value, schema), path)
  if (Array.isArray(value)) {
    const items = schema?.type === 'array' ? schema.items as TSchema | undefined : undefined
    return value.flatMap((item, i) => secretMembers(item, items, `${path}/${i}`))
  }
  const declared = (schema?.properties ?? {}) as Record<string, TSchema>
  const mapValues = schema?.patternProperties ? Object.values(schema.patternProperties as Record<string, TSchema>)[0] : undefined
  return Object.entries(value).flatMap(([name, member]) => {
    const here = pointer(path, name)
    if (mapValues) return secretMembers(member, mapValues, here)
    if (Object.hasOwn(declared, name)) return secretMembers(member, declared[name], here)
    return isSecretName(name) ? [here] : secretMembers(member, undefined, here)
  })
}
