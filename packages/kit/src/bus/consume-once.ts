import type { Db, Tx } from '../db/db.ts'
import { isBackendOutage } from '../errors/index.ts'
import { createBatcher } from './batcher.ts'
import type { CloudEvent } from './event.ts'

interface Pending {
  eventId: string
  effect: (tx: Tx) => Promise<void>
}

/** Events of one consumer in one transaction at most: a batch is as large as the deliveries in flight. */
const MAX_BATCH = 50

/**
 * The prefetch of a consumer whose events are worth batching: one batch can
 * fill while the previous one runs (with the default BUS_PREFETCH, 20, a
 * batch rarely gets past 10 under load).
 */
export const BATCH_PREFETCH = 2 * MAX_BATCH

/**
 * The batchers of each database and consumer. Kept beside the Db object, not
 * in the caller, so that `consumeOnce` and `wasProcessed` keep their
 * signatures; a WeakMap lets a closed Db and its batchers go together.
 */
const consumeBatchers = new WeakMap<Db, Map<string, (pending: Pending) => Promise<boolean>>>()
const lookupBatchers = new WeakMap<Db, Map<string, (eventId: string) => Promise<boolean>>>()

function batcherOf<T> (all: WeakMap<Db, Map<string, T>>, db: Db, consumer: string, create: () => T): T {
  let byConsumer = all.get(db)
  if (!byConsumer) all.set(db, byConsumer = new Map())
  let batcher = byConsumer.get(consumer)
  if (!batcher) byConsumer.set(consumer, batcher = create())
  return batcher
}

/**
 * One transaction for the batch: the markers of every event in one statement
 * (in event-id order: two instances handling the same events lock rows in the
 * same order), then the effects of the events that were new, side by side, so
 * that writes they make at the same time can share a statement (the
 * notification service's queue does). Every effect has settled before the
 * transaction ends: none is left running to write after a rollback.
 */
function consumeBatch (db: Db, consumer: string) {
  return async (batch: Pending[]): Promise<boolean[]> => db.tx(async (tx) => {
    const ids = [...new Set(batch.map(p => p.eventId))].sort()
    const { rows } = await tx.query<{ event_id: string }>(
      `insert into processed_events (consumer, event_id) select $1, id from unnest($2::text[]) with ordinality as e(id, n) order by n
        on conflict do nothing returning event_id`, [consumer, ids])
    const fresh = new Set(rows.map(r => r.event_id))
    // The same event twice in one batch: the first takes the marker.
    const results = batch.map(p => fresh.delete(p.eventId))
    const settled = await Promise.allSettled(batch.filter((_, i) => results[i]).map(p => p.effect(tx)))
    const failed = settled.find(s => s.status === 'rejected')
    if (failed) throw failed.reason
    return results
  })
}

/**
 * Runs `effect` at most once per (consumer, event id): the marker in
 * `processed_events` and the effect commit or roll back together, so a
 * redelivered event is skipped and a failed effect runs again on retry.
 * Returns false when the event had already been processed.
 *
 * Calls of one consumer that overlap share a transaction (see createBatcher),
 * their effects running side by side in it; when it fails, each event is
 * tried again in a transaction of its own, so one failing effect neither
 * fails nor delays the others beyond that retry.
 */
export async function consumeOnce (db: Db, consumer: string, event: CloudEvent, effect: (tx: Tx) => Promise<void>): Promise<boolean> {
  const consume = batcherOf(consumeBatchers, db, consumer, () => createBatcher({
    run: consumeBatch(db, consumer),
    maxBatch: MAX_BATCH,
    retryAlone: err => !isBackendOutage(err)
  }))
  return consume({ eventId: event.id, effect })
}

/** True when the consumer already processed the event (a redelivery): lets work outside the transaction be skipped. */
export async function wasProcessed (db: Db, consumer: string, eventId: string): Promise<boolean> {
  const lookup = batcherOf(lookupBatchers, db, consumer, () => createBatcher({
    run: async (ids: string[]) => {
      const { rows } = await db.query<{ event_id: string }>(
        'select event_id from processed_events where consumer = $1 and event_id = any($2::text[])', [consumer, ids])
      const seen = new Set(rows.map(r => r.event_id))
      return ids.map(id => seen.has(id))
    },
    maxBatch: MAX_BATCH,
    retryAlone: () => false
  }))
  return lookup(eventId)
}
