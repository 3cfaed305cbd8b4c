import type { CloudEvent } from '@app/kit/bus'
import type { Tx } from '@app/kit/db'
import type { Queue } from './deliveries/queue.ts'
import type { Recipient } from './recipients/choose-channels.ts'
import { DEFAULT_LOCALE } from './templates/catalogue.ts'

export interface Message {
  template: string
  userId: string | null
  locale: string | undefined
  variables: Record<string, unknown>
  sealed?: string | undefined
}

/**
 * Queues `message` for each recipient. Keyed by event and channel, so each
 * event gives at most one message per channel; `tag` separates two
 * consumers of one event type (a profile change and a phone change of one
 * `user.updated`).
 */
export async function queueFor (queue: Queue, event: CloudEvent, recipients: Recipient[], message: Message, tx: Tx, tag?: string): Promise<void> {
  for (const { channel, to } of recipients) {
    await queue({
      idempotencyKey: tag ? `${event.id}:${tag}:${channel}` : `${event.id}:${channel}`,
      eventId: event.id,
      eventType: event.type,
      userId: message.userId,
      channel,
      to,
      template: message.template,
      locale: message.locale ?? DEFAULT_LOCALE,
      variables: message.variables,
      sealed: message.sealed
    }, tx)
  }
}
