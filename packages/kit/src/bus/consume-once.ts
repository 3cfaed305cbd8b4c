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
