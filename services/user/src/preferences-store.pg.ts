import type { Db } from '@app/kit/db'
import type { Preferences } from './domain/preferences.ts'
import type { PreferencesStore } from './preferences-store.ts'

interface PreferencesRow {
  channels: Preferences['channels']
  events: Preferences['events']
}

export function createPreferencesStore (db: Db): PreferencesStore {
  return {
    async findPreferences (userId, q = db) {
      const { rows } = await q.query<PreferencesRow>('select channels, events from user_preferences where user_id = $1', [userId])
      return rows[0] && { channels: rows[0].channels, events: rows[0].events }
    },
    async savePreferences (userId, preferences, q = db) {
      await q.query(`insert into user_preferences (user_id, channels, events) values ($1, $2::jsonb, $3::jsonb)
        on conflict (user_id) do update set channels = excluded.channels, events = excluded.events, updated_at = now()`,
      [userId, JSON.stringify(preferences.channels), JSON.stringify(preferences.events)])
    }
  } satisfies PreferencesStore
}
