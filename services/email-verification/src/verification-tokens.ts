import { createHash, randomBytes } from 'node:crypto'
import type { Db, Queryable } from '@app/kit/db'

/** 32 random bytes, base64url: what the link carries. */
export const newVerificationToken = () => randomBytes(32).toString('base64url')
export const hashVerificationToken = (token: string) => createHash('sha256').update(token).digest('hex')

export interface VerificationTarget {
  userId: string
  email: string
}

interface TargetRow { user_id: string, email: string }

const target = (row: TargetRow | undefined): VerificationTarget | undefined =>
  row && { userId: row.user_id, email: row.email }

/** Verification tokens by hash; a token is live while unused, unrevoked and unexpired. */
export function createVerificationTokenStore (db: Db) {
  return {
    async insert (token: VerificationTarget & { hash: string, createdAt: Date, expiresAt: Date }, q: Queryable = db): Promise<void> {
      await q.query('insert into verification_tokens (hash, user_id, email, created_at, expires_at) values ($1, $2, $3, $4, $5)',
        [token.hash, token.userId, token.email, token.createdAt, token.expiresAt])
    },

    /** Who and what the token verifies when it is live; nothing is changed. */
    async findLive (hash: string, at: Date): Promise<VerificationTarget | undefined> {
      const { rows } = await db.query<TargetRow>(`select user_id, email from verification_tokens
        where hash = $1 and used_at is null and revoked_at is null and expires_at > $2`, [hash, at])
      return target(rows[0])
    },

    /** Spends a live token; undefined when it was not live (so two racing verifies: one wins). */
    async claim (hash: string, at: Date, q: Queryable = db): Promise<VerificationTarget | undefined> {
      const { rows } = await q.query<TargetRow>(`update verification_tokens set used_at = $2
        where hash = $1 and used_at is null and revoked_at is null and expires_at > $2 returning user_id, email`, [hash, at])
      return target(rows[0])
    },

    /** Gives a claimed token back when the verification could not be completed (the user service was unreachable). */
    async release (hash: string): Promise<void> {
      await db.query('update verification_tokens set used_at = null where hash = $1 and revoked_at is null', [hash])
    },

    /** No earlier link of the user works any more. */
    async revokeAllOf (userId: string, at: Date, q: Queryable = db): Promise<void> {
      await q.query('update verification_tokens set revoked_at = $2 where user_id = $1 and used_at is null and revoked_at is null', [userId, at])
    }
  }
}

export type VerificationTokenStore = ReturnType<typeof createVerificationTokenStore>
