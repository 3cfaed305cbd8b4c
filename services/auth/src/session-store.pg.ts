import type { Db } from '@app/kit/db'
import type { SessionStore, StoredRefreshToken } from './session-store.ts'

interface TokenRow {
  hash: string
  session_id: string
  user_id: string
  used_at: Date | null
  expires_at: Date
  session_expires_at: Date
  session_revoked_at: Date | null
}

function toToken (row: TokenRow): StoredRefreshToken {
  return {
    hash: row.hash,
    sessionId: row.session_id,
    userId: row.user_id,
    usedAt: row.used_at,
    expiresAt: row.expires_at,
    sessionExpiresAt: row.session_expires_at,
    sessionRevokedAt: row.session_revoked_at
  }
}

export function createSessionStore (db: Db): SessionStore {
  return {
    async insertSession (s, q = db) {
      await q.query(`insert into sessions (id, user_id, created_at, last_used_at, expires_at)
        values ($1, $2, $3, $3, $4)`, [s.id, s.userId, s.createdAt, s.expiresAt])
    },
    async insertRefreshToken (t, q = db) {
      await q.query('insert into refresh_tokens (hash, session_id, created_at, expires_at) values ($1, $2, $3, $4)',
        [t.hash, t.sessionId, t.createdAt, t.expiresAt])
    },
    async findRefreshToken (hash, q = db) {
      const { rows } = await q.query<TokenRow>(`select t.hash, t.session_id, s.user_id, t.used_at, t.expires_at,
          s.expires_at as session_expires_at, s.revoked_at as session_revoked_at
        from refresh_tokens t join sessions s on s.id = t.session_id where t.hash = $1`, [hash])
      return rows[0] && toToken(rows[0])
    },
    async claimRefreshToken (hash, at, q = db) {
      const { rowCount } = await q.query('update refresh_tokens set used_at = $2 where hash = $1 and used_at is null returning hash', [hash, at])
      return rowCount === 1
    },
    async touchSession (id, at, q = db) {
      await q.query('update sessions set last_used_at = $2 where id = $1', [id, at])
    },
    async findSession (id, q = db) {
      const { rows } = await q.query<{ id: string, user_id: string, revoked_at: Date | null }>(
        'select id, user_id, revoked_at from sessions where id = $1', [id])
      const row = rows[0]
      return row && { id: row.id, userId: row.user_id, revokedAt: row.revoked_at }
    },
    async revokeSession (id, at, reason, q = db) {
      const { rowCount } = await q.query('update sessions set revoked_at = $2, revoked_reason = $3 where id = $1 and revoked_at is null',
        [id, at, reason])
      return rowCount === 1
    },
    async revokeUserSessions (userId, at, reason, q = db, scope = {}) {
      const { rows } = await q.query<{ id: string }>(`update sessions set revoked_at = $2, revoked_reason = $3
        where user_id = $1 and revoked_at is null
          and ($4::uuid is null or id <> $4::uuid) and ($5::timestamptz is null or created_at < $5)
        returning id`, [userId, at, reason, scope.except ?? null, scope.startedBefore ?? null])
      return rows.map(r => r.id)
    },
    async revocationsBetween (since, until, limit) {
      const { rows } = await db.query<{ id: string, revoked_at: Date | string }>(`select id, revoked_at from sessions
        where revoked_at >= $1 and revoked_at <= $2 order by revoked_at limit $3`, [since, until, limit])
      return rows.map(r => ({ sessionId: r.id, revokedAt: new Date(r.revoked_at) }))
    }
  } satisfies SessionStore
}
