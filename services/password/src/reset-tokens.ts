import { createHash, randomBytes } from 'node:crypto'
import type { Db, Queryable } from '@app/kit/db'

/** 32 random bytes, base64url: what the link carries. */
export const newResetToken = () => randomBytes(32).toString('base64url')
export const hashResetToken = (token: string) => createHash('sha256').update(token).digest('hex')

/** Reset tokens by hash; a token is live while unused, unrevoked and unexpired. */
export function createResetTokenStore (db: Db) {
  return {
    async insert (token: { hash: string, userId: string, createdAt: Date, expiresAt: Date }, q: Queryable = db): Promise<void> {
      await q.query('insert into reset_tokens (hash, user_id, created_at, expires_at) values ($1, $2, $3, $4)',
        [token.hash, token.userId, token.createdAt, token.expiresAt])
    },

    /** The user id when the token is live; nothing is changed. */
    async findLive (hash: string, at: Date): Promise<string | undefined> {
      const { rows } = await db.query<{ user_id: string }>(`select user_id from reset_tokens
        where hash = $1 and used_at is null and revoked_at is null and expires_at > $2`, [hash, at])
      return rows[0]?.user_id
    },

    /** Spends a live token; the user id, or undefined when it was not live (so two racing resets: one wins). */
    async claim (hash: string, at: Date): Promise<string | undefined> {
      const { rows } = await db.query<{ user_id: string }>(`update reset_tokens set used_at = $2
        where hash = $1 and used_at is null and revoked_at is null and expires_at > $2 returning user_id`, [hash, at])
      return rows[0]?.user_id
    },

    /** Gives a claimed token back when the reset failed after the claim (e.g. the new password was refused). */
    async release (hash: string): Promise<void> {
      await db.query('update reset_tokens set used_at = null where hash = $1 and revoked_at is null', [hash])
    },

    /** The user was deleted: none of their tokens is kept. */
    async deleteAllOf (userId: string, q: Queryable = db): Promise<number> {
      const { rowCount } = await q.query('delete from reset_tokens where user_id = $1', [userId])
      return rowCount ?? 0
    },

    /** After a completed reset: no earlier link of the user works any more. */
    async revokeAllOf (userId: string, at: Date, q: Queryable = db): Promise<void> {
      await q.query('update reset_tokens set revoked_at = $2 where user_id = $1 and used_at is null and revoked_at is null', [userId, at])
    }
  }
}

export type ResetTokenStore = ReturnType<typeof createResetTokenStore>
