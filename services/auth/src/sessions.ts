import type { Db, Queryable, Tx } from '@app/kit/db'
import { KitErrors } from '@app/kit/errors'
import type { EventEmitter } from '@app/kit/service'
import type { SessionStore } from './session-store.ts'

/** Why a session ended, as `auth.session_ended` says; other reasons (logout, password change) are `auth.logged_out`. */
export type SessionEndReason = 'user_ended' | 'admin_ended' | 'disabled' | 'deleted'
const SESSION_END_REASONS: ReadonlySet<string> = new Set<SessionEndReason>(['user_ended', 'admin_ended', 'disabled', 'deleted'])

export const isSessionEndReason = (reason: string): reason is SessionEndReason => SESSION_END_REASONS.has(reason)

/** One `auth.session_ended` per session; `by` is the administrator who ended them. */
export async function emitSessionsEnded (events: EventEmitter, tx: Tx, userId: string, sessionIds: string[], reason: SessionEndReason, by?: string): Promise<void> {
  for (const sessionId of sessionIds) await events.emit(tx, 'auth.session_ended', { userId, sessionId, reason, ...(by ? { by } : {}) }, userId)
}

export interface SessionView {
  id: string
  createdAt: string
  lastUsedAt: string
  ip: string | null
  userAgent: string | null
  current: boolean
}

export interface SessionsDeps {
  db: Db
  store: SessionStore
  events: EventEmitter
  now: () => Date
}

/** The sessions a user sees and ends (GET and DELETE /api/v1/auth/sessions), and erasure when the account is deleted. */
export function createSessions ({ db, store, events, now }: SessionsDeps) {
  return {
    async list (userId: string, currentSessionId: string | null): Promise<SessionView[]> {
      const sessions = await store.activeSessions(userId, now())
      return sessions.map(s => ({
        id: s.id,
        createdAt: s.createdAt.toISOString(),
        lastUsedAt: s.lastUsedAt.toISOString(),
        ip: s.ip,
        userAgent: s.userAgent,
        current: s.id === currentSessionId
      }))
    },

    /**
     * Ends one of the user's active sessions: their own (`by` absent), or as
     * the administrator `by`; 404 for anyone else's, an unknown or an ended one alike.
     */
    async end (userId: string, sessionId: string, by?: string): Promise<void> {
      const reason: SessionEndReason = by ? 'admin_ended' : 'user_ended'
      const ended = await db.tx(async (tx) => {
        const session = await store.findSession(sessionId, tx)
        if (!session || session.userId !== userId) return false
        if (!await store.revokeSession(sessionId, now(), reason, tx)) return false
        await emitSessionsEnded(events, tx, userId, [sessionId], reason, by)
        return true
      })
      if (!ended) throw KitErrors.not_found('No such session')
    },

    /** A deleted account: its sessions and refresh tokens go; the gateway still learns the ended ones from the tombstones. */
    async erase (userId: string, q: Queryable): Promise<number> {
      return store.eraseUserSessions(userId, q)
    }
  }
}

export type Sessions = ReturnType<typeof createSessions>
