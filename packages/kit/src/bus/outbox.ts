import type { Tx } from '../db/db.ts'
import type { PublishOptions } from './bus.ts'
import type { CloudEvent } from './event.ts'

/**
 * Writes an event to the outbox in the caller's transaction, so it is
 * published if and only if the state change it describes commits. The relay
 * delivers it; call `relay.wake()` from `tx.onCommit` to skip the poll delay.
 */
export async function enqueueEvent (tx: Tx, event: CloudEvent, options?: PublishOptions): Promise<void> {
  await tx.query(
    'insert into outbox (id, type, event, exchange, routing_key) values ($1, $2, $3, $4, $5)',
    [event.id, event.type, JSON.stringify(event), options?.exchange ?? null, options?.routingKey ?? null]
  )
}
