import type { Queryable } from '@app/kit/db'
import type { Preferences } from './domain/preferences.ts'

/** Stored notification preferences, one row per user. */
export interface PreferencesStore {
  /** Undefined when the user never saved any (the defaults apply). */
  findPreferences(userId: string, q?: Queryable): Promise<Preferences | undefined>
  /** Inserts or replaces the user's preferences. */
  savePreferences(userId: string, preferences: Preferences, q?: Queryable): Promise<void>
}
