import { errorText, permanent, retryable } from './provider.ts'
import type { Provider, SendOutcome } from './provider.ts'

export interface TwilioOptions {
  accountSid: string
  authToken: string
  /** The sender number or alphanumeric id; ignored when `messagingServiceSid` is set. */
  from?: string | undefined
  messagingServiceSid?: string | undefined
  baseUrl: string
  timeoutMs: number
}

/** `Retry-After` as milliseconds: delta-seconds or an HTTP date. */
export function retryAfterMs (value: string | null, now = Date.now()): number | undefined {
  if (!value) return undefined
  if (/^\d+$/.test(value.trim())) return Number(value.trim()) * 1000
  const at = Date.parse(value)
  return Number.isNaN(at) ? undefined : Math.max(0, at - now)
}

/**
 * Twilio's answer to a failed create: 429 and 5xx are worth another try
 * (429 after its Retry-After), and so is 401 (credentials being fixed are not
 * the message's fault); any other 4xx, such as 400 code 21211 for an invalid
 * `To` number, fails the same way every time.
 */
export async function classifyTwilioResponse (res: Response): Promise<SendOutcome> {
  let body: { code?: number, message?: string } = {}
  try { body = await res.json() as typeof body } catch { /* not JSON: the status says enough */ }
  const text = errorText(`twilio ${res.status}${body.code ? ` ${body.code}` : ''}: ${body.message ?? res.statusText}`)
  if (res.status === 429) return retryable(text, retryAfterMs(res.headers.get('retry-after')))
  if (res.status >= 500 || res.status === 401 || res.status === 408) return retryable(text)
  return permanent(text)
}

/** SMS through Twilio's Messages API (`POST /2010-04-01/Accounts/{sid}/Messages.json`). */
export function createTwilioProvider (options: TwilioOptions): Provider {
  const url = `${options.baseUrl.replace(/\/+$/, '')}/2010-04-01/Accounts/${encodeURIComponent(options.accountSid)}/Messages.json`
  const authorization = `Basic ${Buffer.from(`${options.accountSid}:${options.authToken}`).toString('base64')}`
  const sender: Record<string, string> = options.messagingServiceSid
    ? { MessagingServiceSid: options.messagingServiceSid }
    : { From: options.from ?? '' }
  return {
    name: 'twilio',
    async send (message) {
      let res: Response
      try {
        res = await fetch(url, {
          method: 'POST',
          headers: { authorization, 'content-type': 'application/x-www-form-urlencoded', accept: 'application/json' },
          body: new URLSearchParams({ To: message.to, ...sender, Body: message.text }),
          signal: AbortSignal.timeout(options.timeoutMs)
        })
      } catch (err) {
        const e = err as Error
        return retryable(errorText(`twilio ${e.name === 'TimeoutError' ? 'timed out' : `unreachable: ${(e.cause as Error | undefined)?.message ?? e.message}`}`))
      }
      if (!res.ok) return classifyTwilioResponse(res)
      // Accepted: even an answer we cannot read must not send the SMS twice.
      const created = await res.json().catch(() => ({})) as { sid?: string }
      return { ok: true, messageId: created.sid ?? 'unknown' }
    },
    async close () {}
  }
}
