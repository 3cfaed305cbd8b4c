import type { Db, Queryable } from '@app/kit/db'

/** A one-time code waiting for the app at `redirectTo` to exchange it. */
export interface HandoffCode {
  codeHash: string
  userId: string
  sessionId: string
  redirectTo: string
  createdAt: Date
  expiresAt: Date
}

/** The handoff_codes table: codes stored as their sha256, each spent once. */
export function createHandoffStore (db: Db) {
  return {
    async insert (code: HandoffCode): Promise<void> {
      await db.query('insert into handoff_codes (code_hash, user_id, session_id, redirect_to, created_at, expires_at) values ($1, $2, $3, $4, $5, $6)',
        [code.codeHash, code.userId, code.sessionId, code.redirectTo, code.createdAt, code.expiresAt])
    },

    /** Spends a code, once: its user, or undefined when it is unknown, expired or already spent. */
    async take (codeHash: string, at: Date): Promise<{ userId: string } | undefined> {
      const { rows } = await db.query<{ user_id: string }>(`update handoff_codes set used_at = $2
        where code_hash = $1 and used_at is null and expires_at > $2 returning user_id`, [codeHash, at])
      return rows[0] && { userId: rows[0].user_id }
    },

    /** A deleted account: its unspent codes. */
    async eraseUser (userId: string, q: Queryable = db): Promise<void> {
      await q.query('delete from handoff_codes where user_id = $1', [userId])
    }
  }
}

export type HandoffStore = ReturnType<typeof createHandoffStore>
