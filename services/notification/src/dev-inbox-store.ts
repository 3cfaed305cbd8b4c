import { v7 as uuidv7 } from 'uuid'
import type { Db } from '@app/kit/db'
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

/** Captured messages, newest first. */
export function createDevInboxStore (db: Db) {
  return {
    /** Captures a message once per delivery key (a repeated attempt returns the first capture's id). */
    async capture (message: OutgoingMessage, deliveryKey?: string): Promise<string> {
      // Id and time from the same clock, so "newest first" holds even for captures running side by side.
      const id = uuidv7()
      const { rows } = await db.query<{ id: string }>(`insert into dev_inbox (id, channel, recipient, subject, text, html, created_at, delivery_key)
        values ($1, $2, $3, $4, $5, $6, $7, $8) on conflict (delivery_key) where delivery_key is not null do nothing returning id`,
      [id, message.channel, message.to, message.subject ?? null, message.text, message.html ?? null, new Date(), deliveryKey ?? null])
      if (rows[0]) return rows[0].id
      const first = await db.query<{ id: string }>('select id from dev_inbox where delivery_key = $1', [deliveryKey])
      return first.rows[0]!.id
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
