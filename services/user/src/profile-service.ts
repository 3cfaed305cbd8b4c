import { KitErrors } from '@app/kit/errors'
import type { Db } from '@app/kit/db'
import type { EventEmitter } from '@app/kit/service'
import { applyProfilePatch } from './domain/profile.ts'
import type { User } from './domain/user.ts'
import { UserErrors } from './errors.ts'
import { invalid, normalizeContact } from './input.ts'
import { emitUserUpdated } from './user-events.ts'
import type { UserStore } from './user-store.ts'

export interface ProfileChanges {
  name?: string | null | undefined
  email?: string | undefined
  phone?: string | null | undefined
  locale?: string | undefined
}

export interface ProfileServiceDeps {
  db: Db
  store: UserStore
  events: EventEmitter
}

/** A valid token for an account that no longer exists is no identity at all. */
export const accountGone = () => KitErrors.unauthorized('The account of this access token no longer exists')

export function createProfileService ({ db, store, events }: ProfileServiceDeps) {
  return {
    async getMe (userId: string): Promise<User> {
      const user = await store.findUserById(userId)
      if (!user) throw accountGone()
      return user
    },

    /** Self or admin; a non-admin asking for someone else is refused before anything is looked up. */
    async getUserAs (viewer: { userId: string, admin: boolean }, id: string): Promise<User> {
      if (viewer.userId !== id && !viewer.admin) throw KitErrors.forbidden('Only administrators can see other users')
      const user = await store.findUserById(id)
      if (!user) throw UserErrors.user_not_found()
      return user
    },

    async updateMe (userId: string, input: ProfileChanges): Promise<User> {
      const { email, phone } = normalizeContact({ email: input.email, phone: input.phone ?? undefined })
      const name = input.name === undefined ? undefined : input.name?.trim() || null
      return db.tx(async (tx) => {
        const current = await store.lockUser(userId, tx)
        if (!current) throw accountGone()
        const next = applyProfilePatch(current, { name, email, phone: input.phone === null ? null : phone, locale: input.locale })
        if (next.email === null && next.phone === null) {
          invalid([{ path: '/body/phone', message: 'cannot be removed: the account would have neither an email nor a phone' }])
        }
        if (next.changes.length === 0) return current
        const user = (await store.updateProfile(userId, next, tx))!
        const emailChanged = next.changes.includes('email')
        await emitUserUpdated(events, tx, user, next.changes, {
          emailChanged,
          ...(emailChanged && current.email ? { previousEmail: current.email } : {})
        })
        return user
      })
    }
  }
}

export type ProfileService = ReturnType<typeof createProfileService>
