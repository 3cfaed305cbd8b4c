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
     * Retires the live codes of the records' destinations, purposes and flows
     * (if any) and stores the new ones, in one statement that also writes their
     * events (`emitWith`). Reading `retired` makes the update run before the
     * insert, so the unique index on the live code never sees two. The records
     * must be of distinct slots (destination, purpose, flow).
     */
    replaceStatement (records: Array<{ record: OtpRecord, at: Date }>): { statement: (outboxCte: string) => string, params: unknown[] } {
      const column = <T>(pick: (r: OtpRecord, at: Date) => T) => records.map(({ record, at }) => pick(record, at))
      return {
        statement: outbox => `with fresh as (
            select * from unnest($1::uuid[], $2::text[], $3::text[], $4::text[], $5::text[], $6::text[], $7::text[], $8::uuid[], $9::timestamptz[], $10::timestamptz[])
              as f(id, destination, purpose, flow, channel, code_hmac, salt, user_id, at, expires_at)),
          retired as (update otp_codes o set state = 'replaced', finished_at = f.at from fresh f
            where o.destination = f.destination and o.purpose = f.purpose and o.flow = f.flow and o.state = 'active' returning 1),
          ${outbox}
          insert into otp_codes (id, destination, purpose, flow, channel, code_hmac, salt, user_id, created_at, expires_at, last_sent_at)
          select f.id, f.destination, f.purpose, f.flow, f.channel, f.code_hmac, f.salt, f.user_id, f.at, f.expires_at, f.at
            from fresh f, (select count(*) from retired) as r`,
        params: [
          column(r => r.id), column(r => r.destination), column(r => r.purpose), column(r => r.flow), column(r => r.channel),
          column(r => r.codeHmac), column(r => r.salt), column(r => r.userId), column((_, at) => at), column(r => r.expiresAt)
        ]
      }
    },

    async recordResend (id: string, at: Date, q: Queryable): Promise<boolean> {
      const { rowCount } = await q.query(`update otp_codes set last_sent_at = $2, sends = sends + 1
        where id = $1 and state = 'active' and expires_at > $2`, [id, at])
      return rowCount === 1
    },

    /**
     * Spends a live code with its events (`emitWith`) in one statement. When the code is no
     * longer live (another validation won, or it died or expired meanwhile) the statement fails
     * with `division_by_zero` (see `isNotSpent`), so no event is written without the change.
     */
    spendStatement (id: string, at: Date, maxAttempts: number): { statement: (outboxCte: string) => string, params: unknown[] } {
      return {
        statement: outbox => `with spent as (update otp_codes set state = 'used', finished_at = $2
            where id = $1 and state = 'active' and expires_at > $2 and attempts < $3 returning 1),
          ${outbox}
          select 1 / (select count(*)::int from spent) as spent`,
        params: [id, at, maxAttempts]
      }
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

/** The failure of `spendStatement` when the code was no longer live. */
export const isNotSpent = (err: unknown) => (err as { code?: unknown })?.code === '22012'

export type OtpStore = ReturnType<typeof createOtpStore>
