import pino from 'pino'
import type { Logger } from 'pino'
import type { Db } from '../db/db.ts'
import { createWakeLoop } from './wake-loop.ts'
import { createMutex } from '../db/mutex.ts'
import type { Bus, PublishOptions } from './bus.ts'
import type { CloudEvent } from './event.ts'
import type { RelayMetrics } from '../metrics/outbox-metrics.ts'

export interface OutboxRelayOptions {
  db: Db
  bus: Bus
  log?: Logger
  /** How often the relay looks for due rows on its own, in milliseconds. */
  pollMs: number
  /** Rows claimed per pass (default 100). */
  batchSize?: number
  /** Failed publishes after which a row is `abandoned` (default 20). */
  maxAttempts?: number
  /** First retry delay in milliseconds, doubled after each failure, at most 5 minutes (default 1000). */
  retryBaseMs?: number
  /**
   * How long a claimed row stays reserved for this relay, in milliseconds
   * (default 60 000). It must outlast a publish: after it, another relay may
   * take the row again (a crashed relay's rows come back this way).
   */
  leaseMs?: number
  /** Counts published events and failed publishes (the service's /metrics). */
  metrics?: RelayMetrics
}

export interface OutboxRelay {
  /** Starts polling every `pollMs` (the timer does not keep the process alive) and runs a first pass. */
  start(): void
  /** Runs a pass now, or right after the current one: call it from `tx.onCommit`. */
  wake(): void
  /** Stops polling and waits for the pass in progress. */
  stop(): Promise<void>
  /** Runs passes until no row is due; returns how many rows were published. */
  flush(): Promise<number>
}

interface OutboxRow {
  id: string
  event: CloudEvent | string
  exchange: string | null
  routing_key: string | null
  attempts: number
  created_at: Date | string
}

const MAX_BACKOFF_MS = 5 * 60_000

/**
 * Claims due rows by pushing `next_attempt_at` past the lease in one
 * statement (`for update skip locked`, so concurrent relays take disjoint
 * rows), then publishes outside any transaction: a slow or unreachable broker
 * never holds a row lock or a connection, nor PGlite's single session.
 * Ordering by the indexed `next_attempt_at` makes it a plain index scan, which
 * marks the entries of sent rows dead as it passes them: without vacuum a
 * bitmap scan (what `order by created_at` got) visits every one, every poll.
 */
const CLAIM = `update outbox set next_attempt_at = now() + ($2::int * interval '1 millisecond')
  where id in (
    select id from outbox
    where status = 'queued' and next_attempt_at <= now()
    order by next_attempt_at
    limit $1
    for update skip locked
  )
  returning id, event, exchange, routing_key, attempts, created_at`

const MARK_SENT = `update outbox set status = 'sent', sent_at = now(), last_error = null
  where id = any($1::uuid[])`

const MARK_FAILED = `update outbox set attempts = attempts + 1, last_error = $2,
    status = case when attempts + 1 >= $3 then 'abandoned' else 'queued' end,
    next_attempt_at = now() + ($4::int * interval '1 millisecond')
  where id = $1`

/** Delivers outbox rows to the bus: at least once, marked `sent` only after the broker confirmed. */
export function createOutboxRelay (options: OutboxRelayOptions): OutboxRelay {
  const { db, bus, pollMs } = options
  const log = options.log ?? pino({ level: 'silent' })
  const batchSize = options.batchSize ?? 100
  const maxAttempts = options.maxAttempts ?? 20
  const retryBaseMs = options.retryBaseMs ?? 1000
  const leaseMs = options.leaseMs ?? 60_000
  const lock = createMutex()

  async function pass (): Promise<{ claimed: number, sent: number }> {
    const { rows } = await db.query<OutboxRow>(CLAIM, [batchSize, leaseMs])
    if (rows.length === 0) return { claimed: 0, sent: 0 }
    rows.sort((a, b) => new Date(a.created_at).getTime() - new Date(b.created_at).getTime())
    const results = await Promise.allSettled(rows.map(row => bus.publish(eventOf(row), destination(row))))
    const sent = rows.filter((_, i) => results[i]!.status === 'fulfilled').map(row => row.id)
    if (sent.length > 0) {
      await db.query(MARK_SENT, [sent])
      options.metrics?.published(sent.length)
    }
    for (const [i, row] of rows.entries()) {
      const result = results[i]!
      if (result.status === 'rejected') await markFailed(row, result.reason)
    }
    return { claimed: rows.length, sent: sent.length }
  }

  async function markFailed (row: OutboxRow, err: unknown): Promise<void> {
    const attempts = row.attempts + 1
    const delay = Math.min(retryBaseMs * 2 ** row.attempts, MAX_BACKOFF_MS)
    const message = err instanceof Error ? err.message : String(err)
    await db.query(MARK_FAILED, [row.id, message, maxAttempts, delay])
    options.metrics?.publishFailed(attempts >= maxAttempts)
    const context = { err, eventId: row.id, attempts }
    if (attempts >= maxAttempts) log.error(context, 'outbox event abandoned: it will not be published')
    else log.warn({ ...context, retryInMs: delay }, 'outbox publish failed')
  }

  const loop = createWakeLoop({
    pollMs,
    // A full batch means more rows may be due right now.
    pass: async () => (await lock.run(pass)).claimed === batchSize,
    onError: err => log.warn({ err }, 'outbox relay pass failed; the next poll retries')
  })

  return {
    start: loop.start,
    wake: loop.wake,
    async stop () {
      await loop.stop()
      await lock.run(async () => {})
    },
    async flush () {
      let sent = 0
      for (;;) {
        const result = await lock.run(pass)
        sent += result.sent
        if (result.claimed === 0) return sent
      }
    }
  }
}

function eventOf (row: OutboxRow): CloudEvent {
  return typeof row.event === 'string' ? JSON.parse(row.event) as CloudEvent : row.event
}

function destination (row: OutboxRow): PublishOptions {
  return {
    ...(row.exchange ? { exchange: row.exchange } : {}),
    ...(row.routing_key ? { routingKey: row.routing_key } : {})
  }
}
