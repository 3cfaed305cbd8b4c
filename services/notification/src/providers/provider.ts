export type Channel = 'email' | 'sms'

/** A rendered message, ready for a provider. */
export interface OutgoingMessage {
  channel: Channel
  to: string
  subject?: string | undefined
  text: string
  html?: string | undefined
}

export type SendOutcome =
  | { ok: true, messageId: string }
  /**
   * `retryable` false: sending the same message again would fail the same way
   * (an invalid number, a rejected recipient), so it is not retried.
   * `retryAfterMs`: the provider asked for at least this pause (429 Retry-After).
   */
  | { ok: false, retryable: boolean, error: string, retryAfterMs?: number | undefined }

/**
 * Sends one message. Never throws: every failure is an outcome saying whether
 * to try again. `deliveryKey` is the same on every attempt of one delivery:
 * providers that can deduplicate on it do (the dev inbox; SMTP's Message-ID).
 */
export interface Provider {
  /** `none`: the channel is turned off (SMS_ENABLED=false) and every send fails permanently. */
  readonly name: 'smtp' | 'twilio' | 'inbox' | 'none'
  send(message: OutgoingMessage, deliveryKey: string): Promise<SendOutcome>
  close(): Promise<void>
}

export const retryable = (error: string, retryAfterMs?: number): SendOutcome =>
  ({ ok: false, retryable: true, error, ...(retryAfterMs !== undefined ? { retryAfterMs } : {}) })
export const permanent = (error: string): SendOutcome => ({ ok: false, retryable: false, error })

/** Error text kept on a delivery row: bounded, one line. */
export function errorText (text: string): string {
  const line = text.replace(/\s+/g, ' ').trim()
  return line.length > 300 ? `${line.slice(0, 297)}...` : line
}
