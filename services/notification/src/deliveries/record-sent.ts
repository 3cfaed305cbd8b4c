import { createBatcher } from '@app/kit/bus'
import type { Db } from '@app/kit/db'
import { isBackendOutage } from '@app/kit/errors'
import type { EventEmitter, EventSpec } from '@app/kit/service'
import type { Delivery, DeliveryStore, SentDelivery } from './delivery-store.ts'

/** What `notification.sent` and `notification.failed` carry: never the body, a code or a token. */
export function eventData (d: Delivery, provider: string | null) {
  return {
    deliveryId: d.id,
    userId: d.userId,
    channel: d.channel,
    template: d.template,
    provider,
    attempts: d.attempts,
    sourceEventId: d.eventId,
    sourceEventType: d.eventType
  }
}

export interface SentRecorderDeps {
  db: Db
  store: Pick<DeliveryStore, 'markSentMany'>
  events: Pick<EventEmitter, 'emitWith'>
}

/**
 * Records accepted sends: the rows marked sent and a `notification.sent`
 * event for each row still held by its attempt, in one transaction. Sends
 * that finish while a record commits share the next one, so a burst costs a
 * few transactions rather than one per message. A call resolves once its row
 * is recorded (or was no longer this attempt's).
 */
export function createSentRecorder ({ db, store, events }: SentRecorderDeps): (sent: SentDelivery) => Promise<void> {
  return createBatcher<SentDelivery, void>({
    async run (batch) {
      await db.tx(async (tx) => {
        const recorded = await store.markSentMany(batch, tx)
        const specs: EventSpec[] = batch.filter(s => recorded.has(s.delivery.id)).map(s => ({
          type: 'notification.sent',
          data: { ...eventData(s.delivery, s.provider), providerMessageId: s.messageId },
          subject: s.delivery.userId ?? undefined
        }))
        if (specs.length > 0) await events.emitWith(tx, outbox => `with ${outbox} select 1`, [], specs)
      })
      return batch.map(() => undefined)
    },
    // A database outage fails every row alike: each one's caller retries while its lease holds.
    retryAlone: err => !isBackendOutage(err)
  })
}
