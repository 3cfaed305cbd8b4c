import { reject } from './rejection.ts'

/** The parts of the browser's clientDataJSON checked before the library's verification. */
export interface ClientData {
  type: string
  challenge: string
  origin: string
}

/** Decodes `response.clientDataJSON` (base64url JSON); a malformed one is `invalid_response`. */
export function readClientData (encoded: unknown): ClientData {
  if (typeof encoded !== 'string' || !/^[A-Za-z0-9_-]+={0,2}$/.test(encoded)) return reject('invalid_response')
  let parsed: unknown
  try {
    parsed = JSON.parse(Buffer.from(encoded, 'base64url').toString('utf8'))
  } catch {
    return reject('invalid_response')
  }
  const data = parsed as Partial<Record<keyof ClientData, unknown>> | null
  if (!data || typeof data.type !== 'string' || typeof data.challenge !== 'string' || typeof data.origin !== 'string') return reject('invalid_response')
  return { type: data.type, challenge: data.challenge, origin: data.origin }
}
