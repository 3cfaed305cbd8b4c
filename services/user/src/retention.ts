import type { RetentionRule } from '@app/kit/db'

/** Undo links of email changes are useless once expired: they hold a previous address, so they go at once. */
export function userRetention (): RetentionRule[] {
  return [{ name: 'email_change_undo_tokens.expired', table: 'email_change_undo_tokens', expired: 'expires_at < $1', keepHours: 0 }]
}
