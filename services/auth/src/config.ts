import { Type } from '@sinclair/typebox'

const Seconds = (description: string, value: number, minimum = 1) =>
  Type.Integer({ default: value, minimum, maximum: 31_536_000, description })

export const AuthConfigSchema = Type.Object({
  AUTH_ISSUER: Type.String({ default: 'gatehouse', minLength: 1, description: 'the `iss` claim of access tokens' }),
  AUTH_AUDIENCE: Type.String({ default: 'gatehouse-api', minLength: 1, description: 'the `aud` claim of access tokens' }),
  AUTH_ACCESS_TTL_SECONDS: Seconds('lifetime of an access token', 900, 10),
  AUTH_REFRESH_IDLE_TTL_SECONDS: Seconds('a refresh token expires when unused this long', 2_592_000),
  AUTH_REFRESH_ABSOLUTE_TTL_SECONDS: Seconds('a session ends this long after login, however often it is refreshed', 7_776_000),
  AUTH_MAX_FAILED_LOGINS: Type.Integer({ default: 5, minimum: 1, maximum: 1000, description: 'login attempts per identifier and window before 429' }),
  AUTH_FAILED_LOGIN_WINDOW_SECONDS: Seconds('the window of AUTH_MAX_FAILED_LOGINS', 900),
  AUTH_SESSION_RETENTION_HOURS: Type.Integer({ default: 720, minimum: 0, maximum: 87_600, description: 'hours a session is kept after it was revoked or reached its absolute expiry' }),
  AUTH_TOKEN_RETENTION_HOURS: Type.Integer({ default: 24, minimum: 0, maximum: 87_600, description: 'hours a refresh token (spent or not) or an MFA challenge is kept after it expired' }),
  AUTH_OTP_RESULT_RETENTION_HOURS: Type.Integer({ default: 24, minimum: 0, maximum: 87_600, description: 'hours the otp service answer to a code request is kept' }),
  AUTH_KEY_ENCRYPTION_KEY: Type.Optional(Type.String({ minLength: 44, maxLength: 44, description: 'base64 of 32 random bytes; encrypts the stored signing keys (AES-256-GCM); required in production' }))
})
