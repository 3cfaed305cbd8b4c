import type { Queryable, Tx } from '../db/db.ts'
import type { PublishOptions } from './bus.ts'
import type { CloudEvent } from './event.ts'
import { perTransaction } from './tx-batcher.ts'

/**
 * Writes an event to the outbox in the caller's transaction, so it is
 * published if and only if the state change it describes commits. The relay
 * delivers it; call `relay.wake()` from `tx.onCommit` to skip the poll delay.
 * Events enqueued at the same time in one transaction share one insert.
 */
export async function enqueueEvent (tx: Tx, event: CloudEvent, options?: PublishOptions): Promise<void> {
  await enqueue(tx, { event, options })
}

const enqueue = perTransaction(async (entries: OutboxEntry[], tx: Tx): Promise<void[]> => {
  const outbox = outboxCte(entries, 1)
  await tx.query(`with ${outbox.sql} select 1`, outbox.params)
  return entries.map(() => undefined)
})

export interface OutboxEntry {
  event: CloudEvent
  options?: PublishOptions | undefined
}

/**
 * A WITH item, `outbox_rows as (insert ...)`, that writes `entries` to the
 * outbox from the statement it is embedded in: the state change and its
 * events commit together in one round trip, atomic without a transaction.
 * Its parameters are numbered from `firstParam`.
 */
export function outboxCte (entries: OutboxEntry[], firstParam: number): { sql: string, params: unknown[] } {
  const p = (i: number) => `$${firstParam + i}`
  return {
    sql: `outbox_rows as (insert into outbox (id, type, event, exchange, routing_key)
      select * from unnest(${p(0)}::uuid[], ${p(1)}::text[], ${p(2)}::jsonb[], ${p(3)}::text[], ${p(4)}::text[]))`,
    params: [
      entries.map(e => e.event.id),
      entries.map(e => e.event.type),
      entries.map(e => JSON.stringify(e.event)),
      entries.map(e => e.options?.exchange ?? null),
      entries.map(e => e.options?.routingKey ?? null)
    ]
  }
}

/** Runs `statement` with the outbox WITH item of `entries` (see `outboxCte`); its parameters follow `params`. */
export async function runWithOutbox<R> (q: Queryable, statement: (outboxCte: string) => string, params: unknown[], entries: OutboxEntry[]): Promise<R[]> {
  const outbox = outboxCte(entries, params.length + 1)
  const { rows } = await q.query<R>(statement(outbox.sql), [...params, ...outbox.params])
  return rows
}
