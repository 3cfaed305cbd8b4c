import { createCipheriv, createDecipheriv, hkdfSync, randomBytes } from 'node:crypto'

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

const VERSION = 'v1'

// Derived once per secret: an HKDF per sealed or opened message showed in the send profile.
const keys = new Map<string, Buffer>()

function keyFrom (serviceSecret: string): Buffer {
  let key = keys.get(serviceSecret)
  if (!key) {
    key = Buffer.from(hkdfSync('sha256', serviceSecret, '', 'gatehouse/delivery-secrets/v1', 32))
    keys.set(serviceSecret, key)
  }
  return key
}

/**
 * Seals secret template variables (AES-256-GCM, key derived from the shared
 * service secret): a code or reset token is stored in the outbox and crosses
 * the broker only as ciphertext, so a database dump or a queue peek cannot
 * replay it.
 */
export function sealSecrets (values: Record<string, string>, serviceSecret: string): string {
  const iv = randomBytes(12)
  const cipher = createCipheriv('aes-256-gcm', keyFrom(serviceSecret), iv)
  const body = Buffer.concat([cipher.update(JSON.stringify(values), 'utf8'), cipher.final()])
  return [VERSION, iv.toString('base64url'), cipher.getAuthTag().toString('base64url'), body.toString('base64url')].join('.')
}

/** The sealed values; throws when the text was not sealed with this secret or was altered. */
export function openSecrets (sealed: string, serviceSecret: string): Record<string, string> {
  const [version, iv, tag, body] = sealed.split('.')
  if (version !== VERSION || !iv || !tag || !body) throw new Error('not a sealed value')
  const decipher = createDecipheriv('aes-256-gcm', keyFrom(serviceSecret), Buffer.from(iv, 'base64url'))
  decipher.setAuthTag(Buffer.from(tag, 'base64url'))
  const plain = Buffer.concat([decipher.update(Buffer.from(body, 'base64url')), decipher.final()])
  return JSON.parse(plain.toString('utf8')) as Record<string, string>
}
