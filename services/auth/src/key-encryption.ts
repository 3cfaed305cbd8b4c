import { createCipheriv, createDecipheriv, randomBytes } from 'node:crypto'
import { ConfigError } from '@app/kit/config'

const PREFIX = 'aes-256-gcm:'

/**
 * The key that encrypts stored private signing keys, from AUTH_KEY_ENCRYPTION_KEY.
 * Production refuses to start without it: a database dump alone must not be able to mint tokens.
 */
export function keyEncryptionKey (config: { NODE_ENV: string, AUTH_KEY_ENCRYPTION_KEY?: string | undefined }): Buffer | undefined {
  const encoded = config.AUTH_KEY_ENCRYPTION_KEY
  if (!encoded) {
    if (config.NODE_ENV === 'production') {
      throw new ConfigError(['AUTH_KEY_ENCRYPTION_KEY is required in production: base64 of 32 random bytes (openssl rand -base64 32)'])
    }
    return undefined
  }
  const key = Buffer.from(encoded, 'base64')
  if (key.length !== 32) throw new ConfigError(['AUTH_KEY_ENCRYPTION_KEY must be base64 of exactly 32 bytes'])
  return key
}

/** The kid is the additional authenticated data: a ciphertext copied onto another key's row does not decrypt. */
export function sealPrivateKey (pem: string, kid: string, key: Buffer | undefined): string {
  if (!key) return pem
  const iv = randomBytes(12)
  const cipher = createCipheriv('aes-256-gcm', key, iv).setAAD(Buffer.from(kid))
  const sealed = Buffer.concat([cipher.update(pem, 'utf8'), cipher.final()])
  return `${PREFIX}${iv.toString('base64')}:${cipher.getAuthTag().toString('base64')}:${sealed.toString('base64')}`
}

export function isSealed (stored: string): boolean {
  return stored.startsWith(PREFIX)
}

export function openPrivateKey (stored: string, kid: string, key: Buffer | undefined): string {
  if (!isSealed(stored)) return stored
  if (!key) throw new ConfigError([`signing key ${kid} is encrypted: AUTH_KEY_ENCRYPTION_KEY is required`])
  const [iv, tag, sealed] = stored.slice(PREFIX.length).split(':')
  const decipher = createDecipheriv('aes-256-gcm', key, Buffer.from(iv ?? '', 'base64')).setAAD(Buffer.from(kid))
  decipher.setAuthTag(Buffer.from(tag ?? '', 'base64'))
  return Buffer.concat([decipher.update(Buffer.from(sealed ?? '', 'base64')), decipher.final()]).toString('utf8')
}
