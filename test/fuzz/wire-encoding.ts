/**
 * Percent-encodes like encodeURIComponent, except that a lone surrogate, which
 * encodeURIComponent refuses, goes out as its generalised UTF-8 bytes
 * (`\ud800` as `%ED%A0%80`): invalid UTF-8 that a real client can send.
 */
export function percentEncode (value: string): string {
  let out = ''
  for (const char of value) {
    const code = char.codePointAt(0)!
    if (code >= 0xd800 && code <= 0xdfff) {
      out += [0xe0 | (code >> 12), 0x80 | ((code >> 6) & 0x3f), 0x80 | (code & 0x3f)]
        .map(byte => `%${byte.toString(16).toUpperCase()}`).join('')
    } else {
      out += encodeURIComponent(char)
    }
  }
  return out
}

/** A query parameter's value as text: strings as they are, anything else as JSON. */
export function queryText (value: unknown): string {
  return typeof value === 'string' ? value : JSON.stringify(value) ?? ''
}

/** `/users/{id}` with `{ id: '%00' }` as given, already encoded. */
export function fillPath (template: string, encodedParams: Record<string, string>): string {
  return template.replace(/\{([^}]+)\}/g, (_whole, name: string) => encodedParams[name] ?? '')
}

/** `?a=1&b=2` from already-encoded pairs; empty when there are none. */
export function joinQuery (encodedPairs: Array<[string, string]>): string {
  return encodedPairs.length === 0 ? '' : `?${encodedPairs.map(([k, v]) => `${k}=${v}`).join('&')}`
}
