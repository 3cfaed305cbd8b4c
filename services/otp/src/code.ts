import { createHmac, randomBytes, timingSafeEqual } from 'node:crypto'

const LIMIT = Math.floor(2 ** 32 / 1_000_000) * 1_000_000

/** 16 random bytes from the CSPRNG; the code is derived from them and the server key. */
export const newSalt = () => randomBytes(16).toString('base64url')

/**
 * Six digits, uniform over 000000..999999 (leading zeros allowed), derived
 * from a random salt with a keyed HMAC. Neither the code nor anything that
 * gives it away without the server key is stored, yet a resend can send the
 * same code again.
 */
export function deriveCode (key: Buffer, salt: string): string {
  const digest = createHmac('sha256', key).update(`code\n${salt}`).digest()
  for (let i = 0; i + 4 <= digest.length; i += 4) {
    const value = digest.readUInt32BE(i)
    // Rejection sampling: values past the last whole multiple of 10^6 would favour low codes.
    if (value < LIMIT) return String(value % 1_000_000).padStart(6, '0')
  }
  return deriveCode(key, `${salt}+`)
}

/** The stored form of a code: bound to its destination and purpose, so a row copied elsewhere proves nothing. */
export function codeHmac (key: Buffer, destination: string, purpose: string, code: string): string {
  return createHmac('sha256', key).update(`check\n${purpose}\n${destination}\n${code}`).digest('base64url')
}

export function sameHmac (a: string, b: string): boolean {
  const x = Buffer.from(a, 'base64url')
  const y = Buffer.from(b, 'base64url')
  return x.length === y.length && timingSafeEqual(x, y)
}
