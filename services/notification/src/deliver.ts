import type { Queryable } from '@app/kit/db'
import { KitErrors } from '@app/kit/errors'
import type { DevInboxStore, OutgoingMessage } from './dev-inbox-store.ts'

export type Deliver = (message: OutgoingMessage, q?: Queryable) => Promise<string>

/**
 * Where messages go. Until the SMTP and Twilio channels exist, the dev inbox is
 * the only one; without it a send is refused rather than silently dropped.
 */
export function createDeliver (inbox: DevInboxStore | undefined): Deliver {
  return async (message, q) => {
    if (!inbox) throw KitErrors.unavailable(`No ${message.channel} provider is configured`)
    return inbox.capture(message, q)
  }
}
