import type { Db, Queryable } from '@app/kit/db'

export interface OtpRecord {
  id: string
  destination: string
  purpose: string
  /** The flow the code was issued for (`public` from /api/v1/otp); it validates for that flow only. */
  flow: string
  channel: 'email' | 'sms'
  codeHmac: string
  salt: string
  userId: string | null
  expiresAt: Date
  lastSentAt: Date
}

interface Row {
  id: string
  destination: string
  purpose: string
  flow: string
  channel: 'email' | 'sms'
  code_hmac: string
  salt: string
  user_id: string | null
  expires_at: Date
  last_sent_at: Date
}

const COLUMNS = 'id, destination, purpose, flow, channel, code_hmac, salt, user_id, expires_at, last_sent_at'

const toRecord = (row: Row): OtpRecord => ({
  id: row.id,
  destination: row.destination,
  purpose: row.purpose,
  flow: row.flow,
  channel: row.channel,
  codeHmac: row.code_hmac,
  salt: row.salt,
  userId: row.user_id,
  expiresAt: row.expires_at,
  lastSentAt: row.last_sent_at
})

/** Codes in PostgreSQL, the source of truth; every state change is a conditional update, so racing instances agree. */
export function createOtpStore (db: Db) {
  return {
    async findActive (destination: string, purpose: string, flow: string, q: Queryable = db): Promise<OtpRecord | undefined> {
      const { rows } = await q.query<Row>(`select ${COLUMNS} from otp_codes where destination = $1 and purpose = $2 and flow = $3 and state = 'active'`, [destination, purpose, flow])
      return rows[0] ? toRecord(rows[0]) : undefined
    },

    /**
     * Retires the live code of the destination, purpose and flow (if any) and stores
     * the new one, in one statement that also writes its events (`emitWith`).
     * Reading `retired` makes the update run before the insert, so the unique
     * index on the live code never sees two.
     */
    replaceStatement (record: OtpRecord, at: Date): { statement: (outboxCte: string) => string, params: unknown[] } {
      return {
        statement: outbox => `with retired as (update otp_codes set state = 'replaced', finished_at = $8
            where destination = $2 and purpose = $3 and flow = $10 and state = 'active' returning 1),
          ${outbox}
          insert into otp_codes (id, destination, purpose, flow, channel, code_hmac, salt, user_id, created_at, expires_at, last_sent_at)
          select $1, $2, $3, $10, $4, $5, $6, $7, $8, $9, $8 from (select count(*) from retired) as r`,
        params: [record.id, record.destination, record.purpose, record.channel, record.codeHmac, record.salt, record.userId, at, record.expiresAt, record.flow]
      }
    },

    async recordResend (id: string, at: Date, q: Queryable): Promise<boolean> {
      const { rowCount } = await q.query(`update otp_codes set last_sent_at = $2, sends = sends + 1
        where id = $1 and state = 'active' and expires_at > $2`, [id, at])
      return rowCount === 1
    },

    /** Spends a live code; false when another validation won, or it died or expired meanwhile. */
    async spend (id: string, at: Date, maxAttempts: number, q: Queryable): Promise<boolean> {
      const { rowCount } = await q.query(`update otp_codes set state = 'used', finished_at = $2
        where id = $1 and state = 'active' and expires_at > $2 and attempts < $3`, [id, at, maxAttempts])
      return rowCount === 1
    },

    /** Counts a wrong try; the code dies at the limit. The attempts made, or undefined when it was no longer live. */
    async recordFailure (id: string, at: Date, maxAttempts: number, q: Queryable): Promise<number | undefined> {
      const { rows } = await q.query<{ attempts: number }>(`update otp_codes
        set attempts = attempts + 1,
            state = case when attempts + 1 >= $3 then 'dead' else state end,
            finished_at = case when attempts + 1 >= $3 then $2 else finished_at end
        where id = $1 and state = 'active' returning attempts`, [id, at, maxAttempts])
      return rows[0]?.attempts
    },

    /**
     * Account deletion: every code of the user or sent to one of its addresses (an email in any
     * letter case, as the per-destination limits count it), whatever its state.
     */
    async deleteFor (destinations: string[], userId: string, q: Queryable = db): Promise<number> {
      const lowered = destinations.map(d => d.toLowerCase())
      const { rowCount } = await q.query('delete from otp_codes where user_id = $1 or lower(destination) = any($2::text[])', [userId, lowered])
      return rowCount ?? 0
    },

    async expire (id: string, at: Date): Promise<void> {
      await db.query('update otp_codes set state = \'expired\', finished_at = $2 where id = $1 and state = \'active\'', [id, at])
    }
  }
}

export type OtpStore = ReturnType<typeof createOtpStore>
