import type { Db, Queryable } from '@app/kit/db'

/** A one-time code waiting for the app at `redirectTo` to exchange it. */
export interface HandoffCode {
  codeHash: string
  userId: string
  /** The hosted page's session that asked for it: the code works only while that session lasts. */
  sessionId: string
  /** The caller's proof of identity as its access token states it (the session's own, if older, is kept). */
  authTime: Date
  /** S256: base64url of the sha256 of a verifier only the app knows; the exchange must present the verifier. */
  codeChallenge: string | undefined
  redirectTo: string
  createdAt: Date
  expiresAt: Date
}

/** A spent code: whose, the proof it stands on, and the session it came from. */
export interface TakenCode {
  userId: string
  sessionId: string
  authTime: Date
  codeChallenge: string | undefined
  /** False when the originating session had ended (revoked or expired) as the code was spent: the code is refused. */
  originActive: boolean
}

/** The handoff_codes table: codes stored as their sha256, each spent once. */
export function createHandoffStore (db: Db) {
  return {
    /**
     * Stores a code of a session that is still active (false when it has ended: nothing stored). Its
     * `auth_time` is the older of the caller's and the session's, never a fresher one.
     */
    async insert (code: HandoffCode): Promise<boolean> {
      const { rows } = await db.query(`insert into handoff_codes (code_hash, user_id, session_id, session_auth_time, code_challenge, redirect_to, created_at, expires_at)
        select $1, s.user_id, s.id, least(coalesce(s.auth_time, 'epoch'::timestamptz), $4), $5, $6, $7, $8
        from sessions s where s.id = $3 and s.user_id = $2 and s.revoked_at is null and s.expires_at > $7
        returning 1`,
      [code.codeHash, code.userId, code.sessionId, code.authTime, code.codeChallenge ?? null, code.redirectTo, code.createdAt, code.expiresAt])
      return rows.length === 1
    },

    /**
     * Spends a code, once: undefined when it is unknown, expired or already spent. In the same statement, whether
     * the session that asked for it is still active (logout, logout-all, password change, disabling or an
     * administrator ending it all revoke it, so its outstanding codes stop working). A first answer only: the
     * session it starts is stored with a check of its own that no ending can overtake.
     */
    async take (codeHash: string, at: Date): Promise<TakenCode | undefined> {
      const { rows } = await db.query<{ user_id: string, session_id: string, session_auth_time: Date | null, code_challenge: string | null, origin_active: boolean }>(
        `update handoff_codes h set used_at = $2
        where h.code_hash = $1 and h.used_at is null and h.expires_at > $2
        returning h.user_id, h.session_id, h.session_auth_time, h.code_challenge,
          exists (select 1 from sessions s where s.id = h.session_id and s.user_id = h.user_id and s.revoked_at is null and s.expires_at > $2) as origin_active`,
        [codeHash, at])
      const row = rows[0]
      if (!row) return undefined
      return {
        userId: row.user_id,
        sessionId: row.session_id,
        // A code stored before its proof was recorded stands on none (as a session without auth_time).
        authTime: row.session_auth_time ? new Date(row.session_auth_time) : new Date(0),
        codeChallenge: row.code_challenge ?? undefined,
        originActive: row.origin_active
      }
    },

    /** A deleted account: its unspent codes. */
    async eraseUser (userId: string, q: Queryable = db): Promise<void> {
      await q.query('delete from handoff_codes where user_id = $1', [userId])
    }
  }
}

export type HandoffStore = ReturnType<typeof createHandoffStore>
