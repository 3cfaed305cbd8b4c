import type { Db } from '@app/kit/db'
import type { EventEmitter } from '@app/kit/service'
import { effectivePreferences, preferenceProblems } from './domain/preferences.ts'
import type { Channel, Preferences } from './domain/preferences.ts'
import { UserErrors } from './errors.ts'
import { invalid } from './input.ts'
import { accountGone } from './active-user.ts'
import type { PreferencesStore } from './preferences-store.ts'
import { emitUserUpdated } from './user-events.ts'
import type { UserStore } from './user-store.ts'

export interface PreferencesInput {
  channels: Record<Channel, boolean>
  events?: Record<string, Channel[]> | undefined
}

export interface PreferencesServiceDeps {
  db: Db
  users: UserStore
  preferences: PreferencesStore
  events: EventEmitter
}

export function createPreferencesService ({ db, users, preferences, events }: PreferencesServiceDeps) {
  return {
    async getMine (userId: string): Promise<Preferences> {
      const user = await users.findUserById(userId)
      if (!user) throw accountGone()
      return effectivePreferences(await preferences.findPreferences(userId), user)
    },

    async saveMine (userId: string, input: PreferencesInput): Promise<Preferences> {
      return db.tx(async (tx) => {
        // Locked so a concurrent PATCH cannot remove the phone between this check and the write.
        const user = await users.lockUser(userId, tx)
        if (!user) throw accountGone()
        const problems = preferenceProblems(input, user)
        if (problems.length > 0) invalid(problems)
        const saved: Preferences = { channels: input.channels, events: input.events ?? {} }
        await preferences.savePreferences(userId, saved, tx)
        await emitUserUpdated(events, tx, user, ['preferences'], { preferences: saved })
        return saved
      })
    },

    /** What the notification service needs to reach a user: addresses, their verification, and the preferences. */
    async contactOf (userId: string) {
      const user = await users.findUserById(userId)
      if (!user) throw UserErrors.user_not_found()
      return {
        userId: user.id,
        email: user.email,
        phone: user.phone,
        emailVerified: user.emailVerified,
        phoneVerified: user.phoneVerified,
        locale: user.locale,
        name: user.name,
        preferences: effectivePreferences(await preferences.findPreferences(userId), user)
      }
    }
  }
}

export type PreferencesService = ReturnType<typeof createPreferencesService>
