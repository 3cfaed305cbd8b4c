import { Type } from '@sinclair/typebox'

export const EmailVerificationConfigSchema = Type.Object({
  EMAIL_VERIFICATION_TTL_SECONDS: Type.Integer({ default: 86_400, minimum: 300, maximum: 604_800, description: 'how long a verification link works' }),
  EMAIL_VERIFICATION_URL: Type.String({
    default: 'http://127.0.0.1:8080/auth/verify-email',
    pattern: '^https?://',
    description: 'the page a verification link opens, with `?token=` appended: the console\'s hosted page `/auth/verify-email` through the gateway (the older server-rendered `/api/v1/email-verification/verify` still works), or one of your app'
  }),
  EMAIL_VERIFICATION_TOKEN_RETENTION_HOURS: Type.Integer({ default: 24, minimum: 0, maximum: 87_600, description: 'hours a verification token (spent, revoked or unused) is kept after it expired' }),
  EMAIL_VERIFICATION_MAX_PER_HOUR: Type.Integer({ default: 5, minimum: 1, maximum: 1000, description: 'verification mails one account receives per hour at most; further requests are answered 202 and dropped' })
})
