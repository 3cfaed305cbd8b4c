import type { RetentionRule } from '@app/kit/db'

export function emailVerificationRetention (config: { EMAIL_VERIFICATION_TOKEN_RETENTION_HOURS: number }): RetentionRule[] {
  return [{ name: 'verification_tokens.expired', table: 'verification_tokens', expired: 'expires_at < $1', keepHours: config.EMAIL_VERIFICATION_TOKEN_RETENTION_HOURS }]
}
