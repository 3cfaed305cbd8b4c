import { createHash, randomBytes } from 'node:crypto'
import type { Db, Queryable } from '@app/kit/db'

/** 32 random bytes, base64url: what the undo link carries. Only its hash is stored. */
export const newUndoToken = () => randomBytes(32).toString('base64url')
export const hashUndoToken = (token: string) => createHash('sha256').update(token).digest('hex')
export const UNDO_TOKEN_FORMAT = /^[A-Za-z0-9_-]{43}$/

/** What an undo link puts back. */
export interface UndoTarget {
  userId: string
  previousEmail: string
  previousEmailVerified: boolean
}

interface UndoRow { user_id: string, previous_email: string, previous_email_verified: boolean }

const target = (row: UndoRow | undefined): UndoTarget | undefined =>
  row && { userId: row.user_id, previousEmail: row.previous_email, previousEmailVerified: row.previous_email_verified }

/** Undo links of email changes, by token hash; a token is live while unused and unexpired. */
export function createUndoTokenStore (db: Db) {
  return {
    async insert (token: UndoTarget & { hash: string, createdAt: Date, expiresAt: Date }, q: Queryable = db): Promise<void> {
      await q.query(`insert into email_change_undo_tokens (hash, user_id, previous_email, previous_email_verified, created_at, expires_at)
        values ($1, $2, $3, $4, $5, $6)`, [token.hash, token.userId, token.previousEmail, token.previousEmailVerified, token.createdAt, token.expiresAt])
    },

    /** What the token would undo when it is live; nothing is changed. */
    async findLive (hash: string, at: Date, q: Queryable = db): Promise<UndoTarget | undefined> {
      const { rows } = await q.query<UndoRow>(`select user_id, previous_email, previous_email_verified from email_change_undo_tokens
        where hash = $1 and used_at is null and expires_at > $2`, [hash, at])
      return target(rows[0])
    },

    /** Spends a live token; undefined when it was not live (of two racing undos, one wins). */
    async claim (hash: string, at: Date, q: Queryable = db): Promise<(UndoTarget & { createdAt: Date }) | undefined> {
      const { rows } = await q.query<UndoRow & { created_at: Date }>(`update email_change_undo_tokens set used_at = $2
        where hash = $1 and used_at is null and expires_at > $2 returning user_id, previous_email, previous_email_verified, created_at`, [hash, at])
      const row = rows[0]
      return row && { ...target(row)!, createdAt: row.created_at }
    },

    /**
     * After an undo, the user's links created at or after the one used are spent too: they would put back
     * an address the undo just replaced. Older links stay live, so a later change (perhaps by whoever took
     * the account, to an address they hold) cannot spend the link that restores the owner's own address.
     */
    async spendCreatedSince (userId: string, since: Date, at: Date, q: Queryable = db): Promise<void> {
      await q.query('update email_change_undo_tokens set used_at = $3 where user_id = $1 and used_at is null and created_at >= $2', [userId, since, at])
    }
  }
}

export type UndoTokenStore = ReturnType<typeof createUndoTokenStore>
