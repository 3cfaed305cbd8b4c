import { Counter, Gauge } from 'prom-client'
import type { Registry } from 'prom-client'
import type { Logger } from 'pino'
import type { Queryable } from '../db/db.ts'
import { scrapeRead } from './collect-failures.ts'

/** What the outbox relay reports; counters only, nothing on the request path. */
export interface RelayMetrics {
  published(count: number): void
  /** A publish the broker refused or did not confirm; `abandoned` when the row used up its attempts. */
  publishFailed(abandoned: boolean): void
}

/**
 * Both partial indexes (queued: outbox_pending_idx, abandoned:
 * outbox_abandoned_idx) answer their part, so sent rows kept for retention are
 * never read; the age comes from the database's clock, like `created_at`.
 */
const OUTBOX_STATE = `select q.queued, q.oldest_seconds, (select count(*) from outbox where status = 'abandoned')::int as abandoned
  from (select count(*)::int as queued,
    coalesce(extract(epoch from now() - min(created_at)), 0)::float8 as oldest_seconds
    from outbox where status = 'queued') q`

interface OutboxState {
  queued: number
  oldest_seconds: number
  abandoned: number
}

export interface OutboxMetricsOptions {
  registry: Registry
  db: Queryable
  log?: Logger
  /** Longest a scrape waits for the query (default 2000 ms). */
  timeoutMs?: number
}

/**
 * The outbox's backlog, the age of its oldest unsent row and its abandoned
 * rows, read with one query when Prometheus scrapes (concurrent scrapes share
 * it); plus the relay's publish counters.
 */
export function registerOutboxMetrics (options: OutboxMetricsOptions): RelayMetrics {
  const { registry, db } = options
  const read = scrapeRead(registry, options.log, 'outbox', async () => (await db.query<OutboxState>(OUTBOX_STATE)).rows[0], options.timeoutMs)
  const gauge = (name: string, help: string, pick: (s: OutboxState) => number) => new Gauge({
    name,
    help,
    registers: [registry],
    async collect () {
      const state = await read()
      if (state) this.set(Number(pick(state)))
    }
  })
  gauge('gatehouse_outbox_backlog', 'Outbox rows not yet published (status queued, retries included)', s => s.queued)
  gauge('gatehouse_outbox_oldest_age_seconds', 'Age of the oldest unpublished outbox row; 0 when none waits', s => s.oldest_seconds)
  gauge('gatehouse_outbox_abandoned', 'Outbox rows the relay gave up on (attempts used up); they are never published', s => s.abandoned)

  const published = new Counter({ name: 'gatehouse_outbox_published_total', help: 'Outbox events the broker confirmed', registers: [registry] })
  const failures = new Counter({
    name: 'gatehouse_outbox_publish_failures_total',
    help: 'Outbox publishes that failed; outcome retry (tried again later) or abandoned (attempts used up)',
    labelNames: ['outcome'] as const,
    registers: [registry]
  })
  const retry = failures.labels('retry')
  const abandoned = failures.labels('abandoned')
  retry.inc(0)
  abandoned.inc(0)
  return {
    published: count => published.inc(count),
    publishFailed: gaveUp => (gaveUp ? abandoned : retry).inc()
  }
}
