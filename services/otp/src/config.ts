import { Type } from '@sinclair/typebox'

const Int = (description: string, value: number, minimum: number, maximum: number) => Type.Integer({ default: value, minimum, maximum, description })

export const OtpConfigSchema = Type.Object({
  OTP_TTL_SECONDS: Int('how long a code is valid (short values are for tests)', 600, 1, 3600),
  OTP_MAX_ATTEMPTS: Int('wrong tries that kill a code', 5, 1, 20),
  OTP_RESEND_COOLDOWN_SECONDS: Int('the least time between two sends to one destination', 30, 0, 3600),
  OTP_MAX_SENDS_PER_HOUR: Int('codes sent to one destination per hour', 5, 1, 1000),
  OTP_MAX_SENDS_PER_DAY: Int('codes sent to one destination per day', 10, 1, 10_000),
  OTP_MAX_SENDS_PER_IP_HOUR: Int('codes one client IP may have sent per hour, over all destinations', 20, 1, 100_000),
  OTP_MAX_SENDS_PER_MINUTE: Int('codes the whole deployment sends per minute (a ceiling against SMS pumping)', 600, 1, 1_000_000),
  OTP_MAX_FAILURES_PER_HOUR: Int('failed validations per destination per hour, across codes, before 429', 10, 1, 1000),
  OTP_CODE_RETENTION_HOURS: Int('hours a code is kept after it expired, whatever became of it', 24, 0, 87_600)
})
