// The bench's own view of one Gatehouse deployment's database: how much of the pipeline is
// still pending, and what the dev inbox received.
import { openPostgres, quoteIdent } from '@app/kit/db'
import type { Db } from '@app/kit/db'
import { openBusQueues } from './bus-queues.ts'
import type { BusQueues } from './bus-queues.ts'

export interface GatehouseDb {
  /** The notification schema: the dev inbox (inbox.ts reads it). */
  notification: Db
  /** Unsent outbox rows of every service plus deliveries not yet done. */
  backlog(): Promise<number>
  /** Waits until nothing is pending anywhere in the pipeline; the time that took in ms. */
  drain(limitMs?: number): Promise<number>
  /** How drain() tells (for the log). */
  drainCheck: string
  close(): Promise<void>
}

/** Events that stay missing while nothing else is pending were dead-lettered, not delayed. */
const STALLED_MS = 5000

/** `amqpUrl`: the RabbitMQ the deployment's bus uses (its queues are named `<prefix>.…`); none for the in-process bus. */
export async function openGatehouseDb (url: string, prefix: string, amqpUrl?: string): Promise<GatehouseDb> {
  const notification = openPostgres({ url, schema: `${prefix}_notification`, poolSize: 2 })
  const { rows } = await notification.query<{ schema: string, table: string }>(
    "select table_schema as schema, table_name as table from information_schema.tables where table_schema like $1 and table_name in ('outbox', 'deliveries', 'audit_events', 'processed_events')",
    [`${prefix}\\_%`])
  const tables = (table: string) => rows.filter(r => r.table === table).map(r => quoteIdent(r.schema))
  const has = (schema: string, table: string) => rows.some(r => r.schema === schema && r.table === table)
  const sum = (terms: string[]) => terms.length ? terms.join(' + ') : '0'
  const backlogSql = `select ${sum([
    ...tables('outbox').map(s => `(select count(*) from ${s}.outbox where status = 'queued')`),
    ...tables('deliveries').map(s => `(select count(*) from ${s}.deliveries where status in ('queued', 'sending', 'failed'))`)
  ])} as n`
  const backlog = async () => Number((await notification.query<{ n: string }>(backlogSql)).rows[0]!.n)

  // Messages a consumer holds unacknowledged, or that wait in the in-process bus, show in no
  // count above. Two consumers account for every event they take, which tells: the audit trail
  // stores each event of the `events` exchange (by event id), and the notification service marks
  // each order.created it turned into a delivery (processed_events, in the delivery's
  // transaction). Events published since `checkedFrom` that either has not taken yet; asked only
  // once the backlog is 0, and only about events since the last drain, so it stays cheap.
  const audit = `${prefix}_audit`
  const [order, note] = [`${prefix}_order`, `${prefix}_notification`]
  const recent = (s: string, type?: string) => `${s}.outbox o where o.status = 'sent' and o.sent_at >= $1 and o.exchange is null${type ? ` and o.type = '${type}'` : ''}`
  const gaps: string[] = []
  if (has(audit, 'audit_events')) {
    gaps.push(...tables('outbox').map(s => `(select count(*) from ${recent(s)} and not exists (select 1 from ${quoteIdent(audit)}.audit_events a where a.event_id = o.id::text))`))
  }
  if (has(order, 'outbox') && has(note, 'processed_events')) {
    gaps.push(`(select count(*) from ${recent(quoteIdent(order), 'order.created')} and not exists (select 1 from ${quoteIdent(note)}.processed_events p where p.consumer = 'notification.order-confirmation' and p.event_id = o.id::text))`)
  }
  const unconsumedSql = `select now() - interval '10 seconds' as at, ${sum(gaps)} as n`
  // The platform was ready (every consumer bound) before this opened. Moved on after each drain,
  // 10 s back: a relay transaction that began before the check may commit a sent_at before it.
  let checkedFrom = (await notification.query<{ at: Date }>('select now() as at')).rows[0]!.at
  const unconsumed = async () => {
    const { at, n } = (await notification.query<{ at: Date, n: string }>(unconsumedSql, [checkedFrom])).rows[0]!
    return { at, behind: Number(n) }
  }

  const queues: BusQueues | undefined = amqpUrl ? await openBusQueues(amqpUrl, `${prefix}.`) : undefined
  const drainCheck = [
    'outbox rows queued and deliveries queued/sending/failed',
    'every event published since the last drain in the audit trail, every order.created taken by notification',
    queues ? 'RabbitMQ queues of the prefix: ready messages polled (checkQueue), then 0 ready and 0 unacknowledged confirmed by rabbitmqctl' : 'no RabbitMQ queue counts (in-process bus, remote broker or no rabbitmqctl)'
  ].join('; ')

  return {
    notification,
    backlog,
    drainCheck,
    async drain (limitMs = 180_000) {
      const started = Date.now()
      const pause = () => new Promise(resolve => setTimeout(resolve, 100))
      // When the first of two quiet polls, 100 ms apart, answered: a consumer may be between
      // taking a message and writing its delivery.
      let quietAt: number | undefined
      let stall = { behind: 0, since: started }
      while (Date.now() - started < limitMs) {
        // Each check only once the cheaper ones before it found nothing.
        const queued = await backlog()
        const busy = queued > 0 ? queued : queues ? await queues.ready() : 0
        const caughtUp = busy === 0 ? await unconsumed() : undefined
        const behind = caughtUp?.behind ?? 0
        const at = Date.now()
        if (behind !== stall.behind) stall = { behind, since: at }
        const stalled = behind > 0 && at - stall.since >= STALLED_MS
        if (busy > 0 || (behind > 0 && !stalled)) {
          quietAt = undefined
        } else if (quietAt === undefined) {
          if (stalled) process.stderr.write(`[bench] ${prefix}: ${behind} published event(s) never reached the audit trail or the order confirmations (dead-lettered?)\n`)
          quietAt = at
        } else {
          // The one expensive check, once the cheap ones agree.
          const held = queues ? await queues.inFlight() : 0
          if (held === undefined || held === 0) {
            if (caughtUp) checkedFrom = caughtUp.at
            return quietAt - started
          }
          quietAt = undefined
        }
        await pause()
      }
      return Date.now() - started
    },
    close: async () => {
      await queues?.close()
      await notification.close()
    }
  }
}
