import { createCipheriv, createDecipheriv, randomBytes } from 'node:crypto'

/**
 * A service asks the notification service to send a message by writing a
 * `notification.requested` message to its outbox, published on this exchange
 * (not on `events`, so the audit trail and other event consumers never see it).
 */
export const DELIVERY_EXCHANGE = 'notifications'
export const DELIVERY_REQUESTED = 'notification.requested'

export type Channel = 'email' | 'sms'

export interface DeliveryRequest {
  /** Names a message template of the notification service, such as `password_reset_link`. */
  template: string
  channel: Channel
  /** An email address or an E.164 phone number. */
  to: string
  userId?: string | null
  locale?: string
  /** Template variables that are not secret. */
  variables: Record<string, string>
  /** Template variables that are (a code, a link carrying a token), sealed with `sealSecrets`. */
  sealed?: string
}

/** The routing key of a delivery request: a consumer may bind to a subset of templates. */
export const deliveryRoutingKey = (template: string) => `${DELIVERY_REQUESTED}.${template}`

/**
 * The keys of the seal purpose (structurally `Keyring` from `@app/kit/keys`,
 * which `ctx.keys.seal` is): the current one seals, and older ones open until
 * their date.
 */
export interface SealKeys {
  current(): { kid: string, key: Buffer }
  find(kid: string): Buffer | undefined
}

const VERSION = 'v2'
// Sealed before keyrings: no kid, under the key SERVICE_SECRET derives, which is `derived-1`.
const LEGACY_VERSION = 'v1'
const LEGACY_KID = 'derived-1'

/**
 * Seals secret template variables (AES-256-GCM under the current seal key):
 * a code or reset token is stored in the outbox and crosses the broker only
 * as ciphertext, so a database dump or a queue peek cannot replay it. The
 * result names its key (`v2.<kid>.<iv>.<tag>.<body>`), so a message sealed
 * before a rotation still opens after it while the old key is accepted.
 */
export function sealSecrets (values: Record<string, string>, keys: SealKeys): string {
  const { kid, key } = keys.current()
  const iv = randomBytes(12)
  const cipher = createCipheriv('aes-256-gcm', key, iv)
  cipher.setAAD(Buffer.from(kid))
  const body = Buffer.concat([cipher.update(JSON.stringify(values), 'utf8'), cipher.final()])
  return [VERSION, kid, iv.toString('base64url'), cipher.getAuthTag().toString('base64url'), body.toString('base64url')].join('.')
}

/** The sealed values; throws when the key is unknown or retired, or the text was altered. */
export function openSecrets (sealed: string, keys: SealKeys): Record<string, string> {
  const parts = sealed.split('.')
  const legacy = parts[0] === LEGACY_VERSION && parts.length === 4
  if (!legacy && (parts[0] !== VERSION || parts.length !== 5)) throw new Error('not a sealed value')
  const [kid, iv, tag, body] = legacy ? [LEGACY_KID, ...parts.slice(1)] : parts.slice(1)
  if (!kid || !iv || !tag || !body) throw new Error('not a sealed value')
  const key = keys.find(kid)
  if (!key) throw new Error(`sealed under key ${kid}, which is unknown or no longer accepted`)
  const decipher = createDecipheriv('aes-256-gcm', key, Buffer.from(iv, 'base64url'))
  if (!legacy) decipher.setAAD(Buffer.from(kid))
  decipher.setAuthTag(Buffer.from(tag, 'base64url'))
  const plain = Buffer.concat([decipher.update(Buffer.from(body, 'base64url')), decipher.final()])
  return JSON.parse(plain.toString('utf8')) as Record<string, string>
}
