import type { RetentionRule } from '@app/kit/db'

export function passwordRetention (config: { PASSWORD_RESET_TOKEN_RETENTION_HOURS: number }): RetentionRule[] {
  return [{ name: 'reset_tokens.expired', table: 'reset_tokens', expired: 'expires_at < $1', keepHours: config.PASSWORD_RESET_TOKEN_RETENTION_HOURS }]
}
