import type { Logger } from 'pino'
import type { Db } from '@app/kit/db'
import type { EventEmitter } from '@app/kit/service'
import { accountGone, activeUser } from './active-user.ts'
import type { AuthClient } from './clients.ts'
import { UserErrors } from './errors.ts'
import type { CodeChannel, FreshProof } from './fresh-proof.ts'
import { invalid } from './input.ts'
import { emitUserDeleted } from './user-events.ts'
import type { UserStore } from './user-store.ts'

export interface DeletionProof {
  password?: string | undefined
  otp?: string | undefined
  channel?: CodeChannel | undefined
}

export interface AccountServiceDeps {
  db: Db
  store: UserStore
  events: EventEmitter
  auth: AuthClient
  proof: FreshProof
  log: Logger
  now: () => Date
}

const selfModeration = (what: string) => UserErrors.admin_self_moderation({
  detail: `An administrator cannot ${what} their own account here${what === 'delete' ? ': use DELETE /api/v1/users/me with the password or a code' : ''}`,
  errors: [{ path: '/params/id', message: 'is your own account' }]
})

/** Disabling, enabling and deleting accounts. Sessions end through the auth service before the answer. */
export function createAccountService ({ db, store, events, auth, proof, log, now }: AccountServiceDeps) {
  /** The row and its preferences go; `user.deleted` has every other service erase what it holds. */
  async function erase (id: string, deletedBy: 'self' | 'admin', requestId?: string): Promise<void> {
    const gone = await db.tx(async (tx) => {
      const user = await store.lockUser(id, tx)
      if (!user) return undefined
      await store.deleteUser(id, tx)
      await emitUserDeleted(events, tx, user, deletedBy)
      return user
    })
    if (!gone) throw deletedBy === 'self' ? accountGone() : UserErrors.user_not_found()
    try {
      await auth.revokeSessions(id, 'deleted', requestId)
    } catch (err) {
      // The account is gone either way; the auth service also ends the sessions when user.deleted reaches it.
      log.warn({ err, userId: id }, 'sessions of a deleted account not ended at once; user.deleted will end them')
    }
  }

  return {
    /** Idempotent: disabling a disabled account ends its sessions again but emits nothing. */
    async disable (actorId: string, id: string, requestId?: string): Promise<void> {
      if (actorId === id) throw selfModeration('disable')
      await db.tx(async (tx) => {
        const current = await store.lockUser(id, tx)
        if (!current) throw UserErrors.user_not_found()
        if (current.disabledAt !== null) return
        await store.setDisabled(id, now(), tx)
        await events.emit(tx, 'user.disabled', { userId: id, by: actorId }, id)
      })
      // After commit: a refresh racing this call is refused by then (the account reads as disabled).
      await auth.revokeSessions(id, 'disabled', requestId)
    },

    async enable (actorId: string, id: string): Promise<void> {
      await db.tx(async (tx) => {
        const current = await store.lockUser(id, tx)
        if (!current) throw UserErrors.user_not_found()
        if (current.disabledAt === null) return
        await store.setDisabled(id, null, tx)
        await events.emit(tx, 'user.enabled', { userId: id, by: actorId }, id)
      })
    },

    /** The account holder, with the password or a `reauth` code in the request. */
    async deleteSelf (userId: string, given: DeletionProof, requestId?: string): Promise<void> {
      if ((given.password === undefined) === (given.otp === undefined)) {
        invalid([{ path: '/body/password', message: 'or otp is required (exactly one of them)' }])
      }
      const user = await activeUser(store, userId)
      if (given.password !== undefined) await proof.password(userId, given.password, '/body/password')
      else await proof.code(user, given.otp!, given.channel, requestId)
      await erase(userId, 'self', requestId)
    },

    async deleteByAdmin (actorId: string, id: string, requestId?: string): Promise<void> {
      if (actorId === id) throw selfModeration('delete')
      await erase(id, 'admin', requestId)
    }
  }
}

export type AccountService = ReturnType<typeof createAccountService>
