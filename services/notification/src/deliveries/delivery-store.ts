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
}

export interface Page { items: Delivery[], nextCursor: string | null }

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
}

const COLUMNS = `id, event_id, event_type, user_id, channel, recipient, template, locale, variables, sealed, status, attempts,
  max_attempts, last_error, provider, provider_message_id, created_at, updated_at, sent_at`

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
    sentAt: r.sent_at ? new Date(r.sent_at).toISOString() : null
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
  return {
    /** Inserts a queued row; returns its id, or the id of the row that already had this idempotency key. */
    async queue (d: NewDelivery, q: Queryable = db): Promise<{ id: string, created: boolean }> {
      const { rows } = await q.query<{ id: string }>(`insert into deliveries
        (id, idempotency_key, event_id, event_type, user_id, channel, recipient, template, locale, variables, sealed, max_attempts)
        values ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10::jsonb, $11, $12)
        on conflict (idempotency_key) do nothing returning id`,
      [uuidv7(), d.idempotencyKey, d.eventId ?? null, d.eventType ?? null, d.userId ?? null, d.channel, d.to, d.template, d.locale,
        JSON.stringify(d.variables), d.sealed ?? null, maxAttempts])
      if (rows[0]) return { id: rows[0].id, created: true }
      const existing = await q.query<{ id: string }>('select id from deliveries where idempotency_key = $1', [d.idempotencyKey])
      return { id: existing.rows[0]!.id, created: false }
    },

    async claimDue (limit: number, leaseMs: number): Promise<Delivery[]> {
      const { rows } = await db.query<Row>(CLAIM, [limit, leaseMs])
      return rows.map(toDelivery).sort((a, b) => a.createdAt.localeCompare(b.createdAt) || a.id.localeCompare(b.id))
    },

    /** Sent: the sealed secrets are dropped, nothing will need them again. False when the claim was lost. */
    async markSent (d: Delivery, provider: string, messageId: string, q: Queryable = db): Promise<boolean> {
      const { rowCount } = await q.query(`update deliveries set status = 'sent', provider = $3, provider_message_id = $4, sealed = null,
        last_error = null, sent_at = now(), updated_at = now() where id = $1 and attempts = $2 and status = 'sending'`,
      [d.id, d.attempts, provider, messageId])
      return rowCount > 0
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
