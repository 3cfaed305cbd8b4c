import type { Db, Tx } from '../db/db.ts'
import type { CloudEvent } from './event.ts'

/**
 * Runs `effect` at most once per (consumer, event id): the marker in
 * `processed_events` and the effect commit or roll back together, so a
 * redelivered event is skipped and a failed effect runs again on retry.
 * Returns false when the event had already been processed.
 */
export async function consumeOnce (db: Db, consumer: string, event: CloudEvent, effect: (tx: Tx) => Promise<void>): Promise<boolean> {
  return db.tx(async (tx) => {
    const marked = await tx.query(
      'insert into processed_events (consumer, event_id) values ($1, $2) on conflict do nothing',
      [consumer, event.id]
    )
    if (marked.rowCount === 0) return false
    await effect(tx)
    return true
  })
}

/** True when the consumer already processed the event (a redelivery): lets work outside the transaction be skipped. */
export async function wasProcessed (db: Db, consumer: string, eventId: string): Promise<boolean> {
  const { rows } = await db.query('select 1 from processed_events where consumer = $1 and event_id = $2', [consumer, eventId])
  return rows.length > 0
}
