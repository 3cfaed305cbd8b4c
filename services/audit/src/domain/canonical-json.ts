/**
 * JSON with object keys sorted (by UTF-16 code units) at every depth and no
 * whitespace, so the same value always gives the same text, whatever order its
 * keys arrived or were stored in (jsonb reorders them). Values are taken as
 * JSON.stringify takes them: undefined members are left out, non-finite
 * numbers become null.
 */
export function canonicalJson (value: unknown): string {
  if (value === null || typeof value !== 'object') return JSON.stringify(value ?? null)
  if (Array.isArray(value)) return `[${value.map(item => canonicalJson(item ?? null)).join(',')}]`
  const members = Object.keys(value).sort()
    .filter(key => (value as Record<string, unknown>)[key] !== undefined)
    .map(key => `${JSON.stringify(key)}:${canonicalJson((value as Record<string, unknown>)[key])}`)
  return `{${members.join(',')}}`
}
