import type { Db, Tx } from '@app/kit/db'
import { KitErrors } from '@app/kit/errors'
import type { EventEmitter } from '@app/kit/service'
import type { AuthClient } from './clients.ts'
import { sameEmail } from './domain/profile.ts'
import type { User } from './domain/user.ts'
import { UserErrors } from './errors.ts'
import { emitUserUpdated } from './user-events.ts'
import type { UserStore } from './user-store.ts'
import { hashUndoToken, newUndoToken, UNDO_TOKEN_FORMAT } from './undo-tokens.ts'
import type { UndoTarget, UndoTokenStore } from './undo-tokens.ts'

export interface EmailChangeDeps {
  db: Db
  store: UserStore
  undoTokens: UndoTokenStore
  events: EventEmitter
  auth: AuthClient
  now: () => Date
  /** Seals `{ undoLink }` for the event (the notification service opens it). */
  seal: (values: Record<string, string>) => string
  undoUrl: string
  undoTtlSeconds: number
}

const undoInvalid = () => UserErrors.email_change_undo_invalid({
  detail: 'This undo link is invalid, expired or already used',
  errors: [{ path: '/body/token', message: 'is invalid, expired or already used' }]
})

/**
 * An email change waits for the new address's verification link; the
 * previous address is told, with a link that puts it back and ends every
 * session (whether or not the new address was verified yet).
 */
export function createEmailChangeService (deps: EmailChangeDeps) {
  const { db, store, undoTokens, events, auth, now } = deps

  function undoLink (token: string): string {
    const url = new URL(deps.undoUrl)
    url.searchParams.set('token', token)
    return url.toString()
  }

  async function findLive (token: string): Promise<UndoTarget | undefined> {
    return UNDO_TOKEN_FORMAT.test(token) ? await undoTokens.findLive(hashUndoToken(token), now()) : undefined
  }

  /** 409 when another account has registered the address the link would put back. */
  async function refuseTaken (target: UndoTarget, q?: Tx): Promise<void> {
    const owner = await store.findUserByEmail(target.previousEmail, q)
    if (owner && owner.id !== target.userId) {
      throw KitErrors.conflict({
        detail: 'The previous email has been registered by another account since; it cannot be restored',
        errors: [{ path: '/body/token', message: 'would restore an email another account has registered since' }]
      })
    }
  }

  return {
    /** In the PATCH's transaction: `newEmail` becomes pending; the verification link goes to it (email-verification service). */
    async request (current: User, newEmail: string, tx: Tx): Promise<User> {
      const owner = await store.findUserByEmail(newEmail, tx)
      if (owner && owner.id !== current.id) {
        throw KitErrors.conflict({ detail: 'email is already registered', errors: [{ path: '/body/email', message: 'is already registered' }] })
      }
      const user = (await store.setPendingEmail(current.id, newEmail, tx))!
      if (current.email) {
        const token = newUndoToken()
        const at = now()
        await undoTokens.insert({
          hash: hashUndoToken(token),
          userId: current.id,
          previousEmail: current.email,
          previousEmailVerified: current.emailVerified,
          createdAt: at,
          expiresAt: new Date(at.getTime() + deps.undoTtlSeconds * 1000)
        }, tx)
        await events.emit(tx, 'user.email_change_requested', {
          userId: current.id, previousEmail: current.email, newEmail, sealed: deps.seal({ undoLink: undoLink(token) })
        }, current.id)
      }
      return user
    },

    /**
     * The verification link was used (`/internal/users/:id/email-verified`): the current email is marked
     * verified, or the pending one becomes the email, verified. `user_not_found` when `email` is neither.
     */
    async markVerified (id: string, email: string): Promise<User> {
      return db.tx(async (tx) => {
        const current = await store.lockUser(id, tx)
        if (current && sameEmail(current.email, email)) return (await store.markEmailVerified(id, email, tx))!
        if (!current || !sameEmail(current.pendingEmail, email)) throw UserErrors.user_not_found('No user with this id and email')
        const user = (await store.promotePendingEmail(id, email, tx))!
        await emitUserUpdated(events, tx, user, ['email'], { emailChanged: true, ...(current.email ? { previousEmail: current.email } : {}) })
        return user
      })
    },

    /** Whether the undo page may offer its button; nothing is changed. */
    isUndoLive: async (token: string) => (await findLive(token)) !== undefined,

    /**
     * Puts the previous email back, drops any pending one and ends every session of the account; spends
     * the links created at or after this one. 409 `conflict` (nothing ended or spent) when another account
     * has registered the previous email since.
     */
    async undo (token: string, requestId?: string): Promise<User> {
      const target = await findLive(token)
      if (!target) throw undoInvalid()
      // Before the sessions end: a taken address must not end them and then fail on the unique index.
      await refuseTaken(target)
      // First, while nothing is spent: if the auth service cannot be reached, the link still works on a retry.
      await auth.revokeSessions(target.userId, 'email_change_undone', requestId)
      return db.tx(async (tx) => {
        const claimed = await undoTokens.claim(hashUndoToken(token), now(), tx)
        const current = claimed && await store.lockUser(claimed.userId, tx)
        if (!claimed || !current) throw undoInvalid()
        await refuseTaken(claimed, tx)
        const user = (await store.restoreEmail(current.id, claimed.previousEmail, claimed.previousEmailVerified, tx))!
        await undoTokens.spendCreatedSince(current.id, claimed.createdAt, now(), tx)
        await events.emit(tx, 'user.email_change_undone', { userId: current.id, restoredEmail: claimed.previousEmail }, current.id)
        if (!sameEmail(current.email, claimed.previousEmail)) {
          await emitUserUpdated(events, tx, user, ['email'], { emailChanged: true, ...(current.email ? { previousEmail: current.email } : {}) })
        }
        return user
      })
    }
  }
}

export type EmailChangeService = ReturnType<typeof createEmailChangeService>
