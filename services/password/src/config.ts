import { Type } from '@sinclair/typebox'

export const PasswordConfigSchema = Type.Object({
  PASSWORD_RESET_TTL_SECONDS: Type.Integer({ default: 1800, minimum: 300, maximum: 86_400, description: 'how long a reset link works' }),
  PASSWORD_RESET_URL: Type.String({
    default: 'http://127.0.0.1:8080/auth/reset',
    pattern: '^https?://',
    description: 'the page a reset link opens, with `?token=` appended: the console\'s hosted page `/auth/reset` through the gateway (the older server-rendered `/api/v1/password/reset` still works), or one of your app'
  }),
  PASSWORD_RESET_TOKEN_RETENTION_HOURS: Type.Integer({ default: 24, minimum: 0, maximum: 87_600, description: 'hours a reset token (spent, revoked or unused) is kept after it expired' }),
  PASSWORD_FORGOT_MAX_PER_HOUR: Type.Integer({ default: 5, minimum: 1, maximum: 1000, description: 'reset messages one account receives per hour at most; further requests are answered 202 and dropped' })
})
