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
  OTP_CODE_RETENTION_HOURS: Int('hours a code is kept after it expired, whatever became of it', 24, 0, 87_600),
  // Defences against SMS pumping (toll fraud); see docs/security.md, "OTP abuse defences".
  OTP_SMS_ALLOWED_COUNTRIES: Type.String({
    default: '',
    pattern: '^\\s*([A-Za-z]{2}(\\s*,\\s*[A-Za-z]{2})*)?\\s*$',
    description: 'ISO 3166 alpha-2 codes, comma separated, of the countries SMS codes may go to; empty allows every country'
  }),
  OTP_FRAUD_GUARD_MODE: Type.Union([Type.Literal('enforce'), Type.Literal('record')], {
    default: 'enforce',
    description: 'enforce: a suspicious SMS send is refused with 429 and nothing is sent; record: it is sent, logged and reported as otp.abuse_suspected'
  }),
  OTP_FRAUD_PREFIX_TRAILING_DIGITS: Int('digits dropped from the end of a number to form the prefix that velocity and conversion count', 3, 2, 6),
  OTP_FRAUD_PREFIX_WINDOW_SECONDS: Int('window of the per-prefix velocity limit', 3600, 60, 86_400),
  OTP_FRAUD_PREFIX_MAX_SENDS: Int('SMS codes to numbers sharing one prefix per window', 20, 1, 1_000_000),
  OTP_FRAUD_IP_WINDOW_SECONDS: Int('window of the distinct-destinations limit per client IP', 3600, 60, 86_400),
  OTP_FRAUD_IP_MAX_DESTINATIONS: Int('distinct phone numbers one client IP may have codes sent to per window', 10, 1, 100_000),
  OTP_FRAUD_CONVERSION_WINDOW_SECONDS: Int('window over which validated/sent is measured (the current and the previous window count)', 3600, 60, 86_400),
  OTP_FRAUD_CONVERSION_MIN_SENDS: Int('SMS codes sent to a country or prefix before its conversion is judged', 30, 1, 1_000_000),
  OTP_FRAUD_CONVERSION_MIN_PERCENT: Int('validated codes per 100 sent below which a country or prefix is refused', 20, 0, 100)
})
