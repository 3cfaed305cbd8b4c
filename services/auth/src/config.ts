import { Type } from '@sinclair/typebox'
import { AccessTokenSettingsSchema } from '@app/kit/tokens'

const Seconds = (description: string, value: number, minimum = 1) =>
  Type.Integer({ default: value, minimum, maximum: 31_536_000, description })

export const AuthConfigSchema = Type.Object({
  AUTH_ISSUER: Type.String({ default: 'gatehouse', minLength: 1, description: 'the `iss` claim of access tokens' }),
  AUTH_AUDIENCE: Type.String({ default: 'gatehouse-api', minLength: 1, description: 'the `aud` claim of access tokens' }),
  // Shared with the gateway, which refuses a token that lives longer.
  AUTH_ACCESS_TTL_SECONDS: AccessTokenSettingsSchema.properties.AUTH_ACCESS_TTL_SECONDS,
  AUTH_REFRESH_IDLE_TTL_SECONDS: Seconds('a refresh token expires when unused this long', 2_592_000),
  AUTH_REFRESH_REUSE_INTERVAL_SECONDS: Type.Integer({ default: 10, minimum: 0, maximum: 300, description: 'a refresh token presented again this soon after it was spent gets a new pair of the same session (two tabs, a retry) instead of ending the session; 0 turns this off' }),
  AUTH_REFRESH_ABSOLUTE_TTL_SECONDS: Seconds('a session ends this long after login, however often it is refreshed', 7_776_000),
  AUTH_MAX_FAILED_LOGINS: Type.Integer({ default: 5, minimum: 1, maximum: 1000, description: 'failed logins per identifier and client (device, or IP network) before each further try waits' }),
  AUTH_FAILED_LOGIN_WINDOW_SECONDS: Seconds('how long a client\'s failed logins for an identifier are remembered, from its first failure', 86_400),
  AUTH_FAILED_LOGIN_DELAY_SECONDS: Seconds('the wait after AUTH_MAX_FAILED_LOGINS failures; it doubles with each further failure', 1),
  AUTH_FAILED_LOGIN_MAX_DELAY_SECONDS: Seconds('the longest wait between two tries of one client', 900),
  AUTH_UNKNOWN_CLIENT_LOGINS_PER_HOUR: Type.Integer({ default: 20, minimum: 1, maximum: 100_000, description: 'passwords checked per identifier and clock hour for clients that never logged in to the account' }),
  AUTH_KNOWN_DEVICE_TTL_SECONDS: Seconds('a device that logged in to an account is known to it this long after its last login (the gh_device cookie lives as long)', 15_552_000),
  AUTH_KNOWN_IP_TTL_SECONDS: Seconds('an IP network an account logged in from is known to it this long after the last login from it', 2_592_000),
  AUTH_DEVICE_COOKIE_SECURE: Type.Union([Type.Literal('auto'), Type.Literal('always'), Type.Literal('never')], { default: 'auto', description: 'mark the gh_device cookie Secure: auto = when the request came over https (or X-Forwarded-Proto says so) and always in production' }),
  AUTH_SESSION_RETENTION_HOURS: Type.Integer({ default: 720, minimum: 0, maximum: 87_600, description: 'hours a session is kept after it was revoked or reached its absolute expiry' }),
  AUTH_TOKEN_RETENTION_HOURS: Type.Integer({ default: 24, minimum: 0, maximum: 87_600, description: 'hours a refresh token (spent or not) or an MFA challenge is kept after it expired' }),
  AUTH_OTP_RESULT_RETENTION_HOURS: Type.Integer({ default: 24, minimum: 0, maximum: 87_600, description: 'hours the otp service answer to a code request is kept' }),
  AUTH_KEY_ENCRYPTION_KEY: Type.Optional(Type.String({ minLength: 44, maxLength: 44, description: 'base64 of 32 random bytes; encrypts the stored signing keys (AES-256-GCM); required in production' }))
})
