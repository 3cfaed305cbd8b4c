import { v7 as uuidv7 } from 'uuid'
import type { Db, Queryable } from '@app/kit/db'
import type { Channel } from '../providers/provider.ts'

export type DeliveryStatus = 'queued' | 'sending' | 'sent' | 'failed' | 'dead'

export interface NewDelivery {
  idempotencyKey: string
  eventId?: string | null | undefined
  eventType?: string | null | undefined
  userId?: string | null | undefined
  channel: Channel
  to: string
  template: string
  locale: string
  variables: Record<string, unknown>
  sealed?: string | null | undefined
  /** The W3C trace context it was queued in (tracing on), so the send joins that trace. */
  traceparent?: string | null | undefined
}

export interface Delivery {
  id: string
  eventId: string | null
  eventType: string | null
  userId: string | null
  channel: Channel
  to: string
  template: string
  locale: string
  variables: Record<string, unknown>
  sealed: string | null
  status: DeliveryStatus
  attempts: number
  maxAttempts: number
  lastError: string | null
  provider: string | null
  providerMessageId: string | null
  createdAt: string
  updatedAt: string
  sentAt: string | null
  traceparent: string | null
}

export interface Page { items: Delivery[], nextCursor: string | null }

/** What an administrator narrows the deliveries list by; an absent field matches every row. */
export interface DeliveryFilter {
  status?: DeliveryStatus | undefined
  channel?: Channel | undefined
  userId?: string | undefined
}

/** A send the provider accepted, to record. */
export interface SentDelivery {
  delivery: Delivery
  provider: string
  messageId: string
}

interface Row {
  id: string
  event_id: string | null
  event_type: string | null
  user_id: string | null
  channel: Channel
  recipient: string
  template: string
  locale: string
  variables: Record<string, unknown> | string
  sealed: string | null
  status: DeliveryStatus
  attempts: number
  max_attempts: number
  last_error: string | null
  provider: string | null
  provider_message_id: string | null
  created_at: Date
  updated_at: Date
  sent_at: Date | null
  traceparent: string | null
}

const COLUMNS = `id, event_id, event_type, user_id, channel, recipient, template, locale, variables, sealed, status, attempts,
  max_attempts, last_error, provider, provider_message_id, created_at, updated_at, sent_at, traceparent`

function toDelivery (r: Row): Delivery {
  return {
    id: r.id,
    eventId: r.event_id,
    eventType: r.event_type,
    userId: r.user_id,
    channel: r.channel,
    to: r.recipient,
    template: r.template,
    locale: r.locale,
    variables: typeof r.variables === 'string' ? JSON.parse(r.variables) as Record<string, unknown> : r.variables,
    sealed: r.sealed,
    status: r.status,
    attempts: r.attempts,
    maxAttempts: r.max_attempts,
    lastError: r.last_error,
    provider: r.provider,
    providerMessageId: r.provider_message_id,
    createdAt: new Date(r.created_at).toISOString(),
    updatedAt: new Date(r.updated_at).toISOString(),
    sentAt: r.sent_at ? new Date(r.sent_at).toISOString() : null,
    traceparent: r.traceparent ?? null
  }
}

const page = (rows: Row[], limit: number): Page => {
  const items = rows.slice(0, limit).map(toDelivery)
  return { items, nextCursor: rows.length > limit ? items[items.length - 1]!.id : null }
}

/**
 * Claims due rows for one worker: queued ones, failed ones whose retry time
 * came, and sending ones whose worker's lease ran out (it crashed). Each
 * claim counts as an attempt, so a message that crashes its worker cannot
 * loop for ever. `for update skip locked`: concurrent workers take disjoint rows.
 */
const CLAIM = `update deliveries set status = 'sending', attempts = attempts + 1, updated_at = now(),
    next_attempt_at = now() + ($2::int * interval '1 millisecond')
  where id in (
    select id from deliveries
    where status in ('queued', 'failed', 'sending') and next_attempt_at <= now()
    order by next_attempt_at
    limit $1
    for update skip locked
  )
  returning ${COLUMNS}`

/** The deliveries table. An update names the attempt it finishes, so a late worker cannot overwrite a newer claim. */
export function createDeliveryStore (db: Db, maxAttempts: number) {
  /** `queue` for several rows in one statement (a key given twice: the first one's row). */
  async function queueMany (list: NewDelivery[], q: Queryable = db): Promise<Array<{ id: string, created: boolean }>> {
    const ids = list.map(() => uuidv7())
    const column = <T>(pick: (d: NewDelivery) => T) => list.map(pick)
    const { rows } = await q.query<{ id: string }>(`insert into deliveries
      (id, idempotency_key, event_id, event_type, user_id, channel, recipient, template, locale, variables, sealed, traceparent, max_attempts)
      select *, $13::int from unnest($1::uuid[], $2::text[], $3::text[], $4::text[], $5::text[], $6::text[], $7::text[], $8::text[],
        $9::text[], $10::jsonb[], $11::text[], $12::text[])
      on conflict (idempotency_key) do nothing returning id`,
    [ids, column(d => d.idempotencyKey), column(d => d.eventId ?? null), column(d => d.eventType ?? null), column(d => d.userId ?? null),
      column(d => d.channel), column(d => d.to), column(d => d.template), column(d => d.locale), column(d => JSON.stringify(d.variables)),
      column(d => d.sealed ?? null), column(d => d.traceparent ?? null), maxAttempts])
    const created = new Set(rows.map(r => r.id))
    const clashed = list.filter((_, i) => !created.has(ids[i]!)).map(d => d.idempotencyKey)
    const existing = clashed.length === 0
      ? new Map<string, string>()
      : new Map((await q.query<{ id: string, idempotency_key: string }>(
        'select id, idempotency_key from deliveries where idempotency_key = any($1::text[])', [clashed])).rows.map(r => [r.idempotency_key, r.id]))
    return list.map((d, i) => created.has(ids[i]!) ? { id: ids[i]!, created: true } : { id: existing.get(d.idempotencyKey)!, created: false })
  }

  return {
    /** Inserts a queued row; returns its id, or the id of the row that already had this idempotency key. */
    async queue (d: NewDelivery, q: Queryable = db): Promise<{ id: string, created: boolean }> {
      return (await queueMany([d], q))[0]!
    },

    queueMany,

    async claimDue (limit: number, leaseMs: number): Promise<Delivery[]> {
      const { rows } = await db.query<Row>(CLAIM, [limit, leaseMs])
      return rows.map(toDelivery).sort((a, b) => a.createdAt.localeCompare(b.createdAt) || a.id.localeCompare(b.id))
    },

    /**
     * Sent, in one statement for many: the sealed secrets are dropped, nothing
     * will need them again. Returns the ids recorded; a row whose claim was lost
     * (another attempt took it) is left alone and not among them.
     */
    async markSentMany (sent: SentDelivery[], q: Queryable = db): Promise<Set<string>> {
      const { rows } = await q.query<{ id: string }>(`update deliveries set status = 'sent', provider = s.provider,
          provider_message_id = s.message_id, sealed = null, last_error = null, sent_at = now(), updated_at = now()
        from unnest($1::uuid[], $2::int[], $3::text[], $4::text[]) as s(id, attempts, provider, message_id)
        where deliveries.id = s.id and deliveries.attempts = s.attempts and deliveries.status = 'sending'
        returning deliveries.id`,
      [sent.map(s => s.delivery.id), sent.map(s => s.delivery.attempts), sent.map(s => s.provider), sent.map(s => s.messageId)])
      return new Set(rows.map(r => r.id))
    },

    async markFailed (d: Delivery, provider: string | null, error: string, retryInMs: number, q: Queryable = db): Promise<boolean> {
      const { rowCount } = await q.query(`update deliveries set status = 'failed', provider = $3, last_error = $4, updated_at = now(),
        next_attempt_at = now() + ($5::int * interval '1 millisecond') where id = $1 and attempts = $2 and status = 'sending'`,
      [d.id, d.attempts, provider, error, Math.round(retryInMs)])
      return rowCount > 0
    },

    async markDead (d: Delivery, provider: string | null, error: string, q: Queryable = db): Promise<boolean> {
      const { rowCount } = await q.query(`update deliveries set status = 'dead', provider = $3, last_error = $4, updated_at = now()
        where id = $1 and attempts = $2 and status = 'sending'`, [d.id, d.attempts, provider, error])
      return rowCount > 0
    },

    /** A user's deliveries, newest first; `cursor` is the last id of the previous page. */
    async listForUser (userId: string, limit: number, cursor?: string): Promise<Page> {
      const { rows } = await db.query<Row>(`select ${COLUMNS} from deliveries where user_id = $1 and ($2::uuid is null or id < $2::uuid)
        order by id desc limit $3`, [userId, cursor ?? null, limit + 1])
      return page(rows, limit)
    },

    async listDead (limit: number, cursor?: string): Promise<Page> {
      const { rows } = await db.query<Row>(`select ${COLUMNS} from deliveries where status = 'dead' and ($1::uuid is null or id < $1::uuid)
        order by id desc limit $2`, [cursor ?? null, limit + 1])
      return page(rows, limit)
    },

    /** Every delivery matching the filters (each optional), newest first; `cursor` is the last id of the previous page. */
    async list (filter: DeliveryFilter, limit: number, cursor?: string): Promise<Page> {
      const { rows } = await db.query<Row>(`select ${COLUMNS} from deliveries
        where ($1::text is null or status = $1) and ($2::text is null or channel = $2) and ($3::text is null or user_id = $3)
          and ($4::uuid is null or id < $4::uuid)
        order by id desc limit $5`, [filter.status ?? null, filter.channel ?? null, filter.userId ?? null, cursor ?? null, limit + 1])
      return page(rows, limit)
    },

    async findById (id: string): Promise<Delivery | undefined> {
      const { rows } = await db.query<Row>(`select ${COLUMNS} from deliveries where id = $1`, [id])
      return rows[0] ? toDelivery(rows[0]) : undefined
    },

    /** A dead delivery queued again with a fresh set of attempts; undefined when it is not dead (or absent). */
    async requeueDead (id: string): Promise<Delivery | undefined> {
      const { rows } = await db.query<Row>(`update deliveries set status = 'queued', attempts = 0, max_attempts = $2,
        next_attempt_at = now(), updated_at = now() where id = $1 and status = 'dead' returning ${COLUMNS}`, [id, maxAttempts])
      return rows[0] ? toDelivery(rows[0]) : undefined
    }
  }
}

export type DeliveryStore = ReturnType<typeof createDeliveryStore>
