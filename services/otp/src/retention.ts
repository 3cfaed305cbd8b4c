import type { RetentionRule } from '@app/kit/db'

/** Every code expires within OTP_TTL_SECONDS, used or not, so expiry alone says when it stopped mattering. */
export function otpRetention (config: { OTP_CODE_RETENTION_HOURS: number }): RetentionRule[] {
  return [{ name: 'otp_codes.expired', table: 'otp_codes', expired: 'expires_at < $1', keepHours: config.OTP_CODE_RETENTION_HOURS }]
}
