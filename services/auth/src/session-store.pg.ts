import type { Db, Queryable } from '@app/kit/db'
import type { SessionStore, StoredRefreshToken } from './session-store.ts'

interface TokenRow {
  hash: string
  session_id: string
  user_id: string
  used_at: Date | null
  expires_at: Date
  session_expires_at: Date
  session_revoked_at: Date | null
  session_auth_time: Date | null
}

interface DetailsRow { id: string, created_at: Date, last_used_at: Date, ip: string | null, user_agent: string | null }

function toToken (row: TokenRow): StoredRefreshToken {
  return {
    hash: row.hash,
    sessionId: row.session_id,
    userId: row.user_id,
    usedAt: row.used_at,
    expiresAt: row.expires_at,
    sessionExpiresAt: row.session_expires_at,
    sessionRevokedAt: row.session_revoked_at,
    authTime: row.session_auth_time
  }
}

export function createSessionStore (db: Db): SessionStore {
  return {
    async insertSession (s, q = db) {
      await q.query(`insert into sessions (id, user_id, created_at, last_used_at, expires_at, auth_time, ip, user_agent)
        values ($1, $2, $3, $3, $4, $5, $6, $7)`, [s.id, s.userId, s.createdAt, s.expiresAt, s.authTime, s.ip ?? null, s.userAgent ?? null])
    },
    async insertRefreshToken (t, q = db) {
      await q.query('insert into refresh_tokens (hash, session_id, created_at, expires_at) values ($1, $2, $3, $4)',
        [t.hash, t.sessionId, t.createdAt, t.expiresAt])
    },
    async findRefreshToken (hash, q = db) {
      const { rows } = await q.query<TokenRow>(`select t.hash, t.session_id, s.user_id, t.used_at, t.expires_at,
          s.expires_at as session_expires_at, s.revoked_at as session_revoked_at, s.auth_time as session_auth_time
        from refresh_tokens t join sessions s on s.id = t.session_id where t.hash = $1`, [hash])
      return rows[0] && toToken(rows[0])
    },
    async claimRefreshToken (hash, at, q = db) {
      const { rowCount } = await q.query('update refresh_tokens set used_at = $2 where hash = $1 and used_at is null returning hash', [hash, at])
      return rowCount === 1
    },
    async claimRefreshReissue (hash, at, q = db) {
      const { rowCount } = await q.query('update refresh_tokens set reissued_at = $2 where hash = $1 and used_at is not null and reissued_at is null returning hash', [hash, at])
      return rowCount === 1
    },
    async touchSession (id, at, q = db) {
      await q.query('update sessions set last_used_at = $2 where id = $1', [id, at])
    },
    startStatement (s, t) {
      return {
        statement: outbox => `with new_session as (insert into sessions (id, user_id, created_at, last_used_at, expires_at, auth_time, ip, user_agent)
            values ($1, $2, $3, $3, $4, $5, $6, $7)),
          new_token as (insert into refresh_tokens (hash, session_id, created_at, expires_at) values ($8, $1, $9, $10)),
          ${outbox}
          select 1`,
        params: [s.id, s.userId, s.createdAt, s.expiresAt, s.authTime, s.ip ?? null, s.userAgent ?? null, t.hash, t.createdAt, t.expiresAt]
      }
    },
    async rotateRefreshToken (presented, next, q = db) {
      const claim = presented.claim === 'first'
        ? 'update refresh_tokens set used_at = $2 where hash = $1 and used_at is null returning session_id'
        : 'update refresh_tokens set reissued_at = $2 where hash = $1 and used_at is not null and reissued_at is null returning session_id'
      const { rows } = await q.query<{ n: number }>(`with claimed as (${claim}),
          next_token as (insert into refresh_tokens (hash, session_id, created_at, expires_at) select $3, session_id, $4, $5 from claimed),
          touched as (update sessions set last_used_at = $2 where id = (select session_id from claimed))
        select count(*)::int as n from claimed`, [presented.hash, presented.at, next.hash, next.createdAt, next.expiresAt])
      return rows[0]?.n === 1
    },
    async findSession (id, q = db) {
      const { rows } = await q.query<{ id: string, user_id: string, revoked_at: Date | null, expires_at: Date, auth_time: Date | null }>(
        'select id, user_id, revoked_at, expires_at, auth_time from sessions where id = $1', [id])
      const row = rows[0]
      return row && { id: row.id, userId: row.user_id, revokedAt: row.revoked_at, expiresAt: new Date(row.expires_at), authTime: row.auth_time && new Date(row.auth_time) }
    },
    async lockActiveSession (id, userId, at, q) {
      const { rows } = await q.query<{ expires_at: Date }>(
        'select expires_at from sessions where id = $1 and user_id = $2 and revoked_at is null and expires_at > $3 for share', [id, userId, at])
      return rows[0] && { expiresAt: new Date(rows[0].expires_at) }
    },
    async revokeSession (id, at, reason, q = db) {
      const { rowCount } = await q.query('update sessions set revoked_at = $2, revoked_reason = $3 where id = $1 and revoked_at is null',
        [id, at, reason])
      return rowCount === 1
    },
    async revokeUserSessions (userId, at, reason, q, scope = {}) {
      const active = `user_id = $1 and revoked_at is null
        and ($2::uuid is null or id <> $2::uuid) and ($3::timestamptz is null or created_at < $3)`
      const params = [userId, scope.except ?? null, scope.startedBefore ?? null]
      const revoke = async (t: Queryable) => {
        // One revoke of a user's sessions at a time: two could otherwise lock the same sessions in different
        // orders (the update below also takes sessions a handoff committed while this one waited).
        await t.query("select pg_advisory_xact_lock(hashtextextended('auth.revoke-user-sessions:' || $1, 0))", [userId])
        // Locked first, in a statement of its own: having waited here for a transaction that started a session from
        // one of these (a handoff), the update takes its snapshot afterwards and ends that new session as well.
        await t.query(`select id from sessions where ${active} order by id for no key update`, params)
        const { rows } = await t.query<{ id: string }>(`update sessions set revoked_at = $4, revoked_reason = $5 where ${active} returning id`,
          [...params, at, reason])
        return rows.map(r => r.id)
      }
      // The locks hold only inside a transaction: the caller's, or one of its own.
      return q ? await revoke(q) : await db.tx(revoke)
    },
    async activeSessions (userId, at, q = db) {
      // A session whose refresh tokens have all expired cannot be used any more, though not revoked.
      const { rows } = await q.query<DetailsRow>(`select s.id, s.created_at, s.last_used_at, s.ip, s.user_agent from sessions s
        where s.user_id = $1 and s.revoked_at is null and s.expires_at > $2
          and exists (select 1 from refresh_tokens t where t.session_id = s.id and t.used_at is null and t.expires_at > $2)
        order by s.last_used_at desc, s.id`, [userId, at])
      return rows.map(r => ({ id: r.id, createdAt: new Date(r.created_at), lastUsedAt: new Date(r.last_used_at), ip: r.ip, userAgent: r.user_agent }))
    },
    async setAuthTime (id, at, q = db) {
      await q.query('update sessions set auth_time = $2 where id = $1', [id, at])
    },
    async eraseUserSessions (userId, q = db) {
      await q.query(`insert into session_tombstones (id, revoked_at)
        select id, revoked_at from sessions where user_id = $1 and revoked_at is not null
        on conflict (id) do nothing`, [userId])
      const { rowCount } = await q.query('delete from sessions where user_id = $1', [userId])
      return rowCount
    },
    async revocationsBetween (since, until, limit, after) {
      // Keyset paging by (revoked_at, id): a page boundary inside a run of equal times moves on all the same.
      // Each branch reads its (revoked_at, id) index in order; the outer order merges them.
      const from = after ? 'revoked_at >= $1 and (revoked_at, id) > ($4::timestamptz, $5::uuid)' : 'revoked_at >= $1'
      const params: unknown[] = [since, until, limit]
      if (after) params.push(after.revokedAt, after.sessionId)
      const { rows } = await db.query<{ id: string, revoked_at: Date | string }>(`select id, revoked_at from (
          (select id, revoked_at from sessions where revoked_at is not null and ${from} and revoked_at <= $2 order by revoked_at, id limit $3)
          union all
          (select id, revoked_at from session_tombstones where ${from} and revoked_at <= $2 order by revoked_at, id limit $3)
        ) ended order by revoked_at, id limit $3`, params)
      return rows.map(r => ({ sessionId: r.id, revokedAt: new Date(r.revoked_at) }))
    }
  } satisfies SessionStore
}
