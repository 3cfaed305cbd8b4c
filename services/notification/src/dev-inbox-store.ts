import { v7 as uuidv7 } from 'uuid'
import { createBatcher } from '@app/kit/bus'
import type { Db } from '@app/kit/db'
import { isBackendOutage } from '@app/kit/errors'
import type { Channel, OutgoingMessage } from './providers/provider.ts'

export interface CapturedMessage {
  id: string
  channel: Channel
  to: string
  subject: string | null
  text: string
  html: string | null
  createdAt: string
}

export interface InboxFilter {
  to?: string | undefined
  channel?: Channel | undefined
  limit: number
}

interface Row {
  id: string
  channel: Channel
  recipient: string
  subject: string | null
  text: string
  html: string | null
  created_at: Date
}

interface Capture {
  id: string
  message: OutgoingMessage
  deliveryKey: string | null
  at: Date
}

/** Inserts captures in one statement; a delivery key already captured gives the first capture's id. */
function captureMany (db: Db) {
  return async (captures: Capture[]): Promise<string[]> => {
    const { rows } = await db.query<{ id: string }>(`insert into dev_inbox (id, channel, recipient, subject, text, html, created_at, delivery_key)
      select * from unnest($1::uuid[], $2::text[], $3::text[], $4::text[], $5::text[], $6::text[], $7::timestamptz[], $8::text[])
      on conflict (delivery_key) where delivery_key is not null do nothing returning id`,
    [captures.map(c => c.id), captures.map(c => c.message.channel), captures.map(c => c.message.to), captures.map(c => c.message.subject ?? null),
      captures.map(c => c.message.text), captures.map(c => c.message.html ?? null), captures.map(c => c.at), captures.map(c => c.deliveryKey)])
    const inserted = new Set(rows.map(r => r.id))
    const repeated = captures.filter(c => !inserted.has(c.id)).map(c => c.deliveryKey!)
    if (repeated.length === 0) return captures.map(c => c.id)
    const first = await db.query<{ id: string, delivery_key: string }>('select id, delivery_key from dev_inbox where delivery_key = any($1::text[])', [repeated])
    const byKey = new Map(first.rows.map(r => [r.delivery_key, r.id]))
    return captures.map(c => inserted.has(c.id) ? c.id : byKey.get(c.deliveryKey!)!)
  }
}

/** Captured messages, newest first. */
export function createDevInboxStore (db: Db) {
  // Captures that arrive together (a worker's batch) share one insert.
  const capture = createBatcher({ run: captureMany(db), retryAlone: err => !isBackendOutage(err) })
  return {
    /** Captures a message once per delivery key (a repeated attempt returns the first capture's id). */
    async capture (message: OutgoingMessage, deliveryKey?: string): Promise<string> {
      // Id and time from the same clock, so "newest first" holds even for captures running side by side.
      return capture({ id: uuidv7(), message, deliveryKey: deliveryKey ?? null, at: new Date() })
    },
    async list ({ to, channel, limit }: InboxFilter): Promise<CapturedMessage[]> {
      const { rows } = await db.query<Row>(`select id, channel, recipient, subject, text, html, created_at from dev_inbox
        where ($1::text is null or lower(recipient) = lower($1)) and ($2::text is null or channel = $2)
        order by created_at desc, id desc limit $3`, [to ?? null, channel ?? null, limit])
      return rows.map(r => ({ id: r.id, channel: r.channel, to: r.recipient, subject: r.subject, text: r.text, html: r.html, createdAt: r.created_at.toISOString() }))
    },
    async clear (): Promise<void> {
      await db.query('delete from dev_inbox')
    }
  }
}

export type DevInboxStore = ReturnType<typeof createDevInboxStore>
