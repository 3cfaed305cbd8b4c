import { createHash, randomBytes, timingSafeEqual } from 'node:crypto'

/** Link tokens, exchange codes and browser nonces: 32 random bytes, base64url (43 characters). */
export const SECRET_FORMAT = /^[A-Za-z0-9_-]{43}$/

export const newSecret = () => randomBytes(32).toString('base64url')

/** What is stored instead of a secret. */
export const sha256Hex = (value: string) => createHash('sha256').update(value).digest('hex')

export function sameHash (a: string, b: string): boolean {
  const x = Buffer.from(a)
  const y = Buffer.from(b)
  return x.length === y.length && timingSafeEqual(x, y)
}
