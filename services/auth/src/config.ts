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
  AUTH_WEBAUTHN_RP_ID: Type.String({ default: 'localhost', minLength: 1, maxLength: 253, pattern: '^[a-z0-9.-]+$', description: 'the WebAuthn relying-party id of passkeys: the site\'s domain (a passkey works on it and its subdomains); never an IP address' }),
  AUTH_WEBAUTHN_RP_NAME: Type.String({ default: 'Gatehouse', minLength: 1, maxLength: 100, description: 'the name a browser shows when it creates a passkey' }),
  AUTH_WEBAUTHN_ORIGINS: Type.String({ default: '', maxLength: 4000, description: 'comma-separated origins passkey ceremonies may come from (e.g. `https://app.example.com`); empty: any http(s)://localhost origin outside production, and passkeys off in production' }),
  AUTH_REDIRECT_ALLOWLIST: Type.String({ default: '', maxLength: 4096, description: 'comma-separated absolute URLs a sign-in may return to (`redirectTo` of magic links and identity providers): same scheme, host and port, and the path or below it; empty allows none' }),
  AUTH_HANDOFF_ALLOW_ADMIN: Type.Boolean({ default: false, description: 'a session of an administrator may be handed to an app on another origin (POST /api/v1/auth/handoff); off: 403 `handoff_admin_refused`' }),
  AUTH_MAGIC_LINK_TTL_SECONDS: Type.Integer({ default: 900, minimum: 60, maximum: 86_400, description: 'how long a magic link works' }),
  AUTH_MAGIC_LINK_SIGNUP: Type.Boolean({ default: false, description: 'a magic link to an address without an account creates one when it is used' }),
  AUTH_MAGIC_LINK_URL: Type.String({ default: 'http://127.0.0.1:8080/api/v1/auth/magic-link/verify', pattern: '^https?://', description: 'the page a magic link opens, with `?token=` appended: the platform\'s own page through the gateway, or one of your app' }),
  AUTH_MAGIC_LINK_MAX_PER_HOUR: Type.Integer({ default: 5, minimum: 1, maximum: 1000, description: 'magic links one address receives per hour at most; further requests are answered 202 and dropped' }),
  AUTH_MAGIC_LINK_MAX_PER_IP_PER_HOUR: Type.Integer({ default: 30, minimum: 1, maximum: 100_000, description: 'magic-link requests one client IP network may make per clock hour; then 429' }),
  AUTH_OIDC_PROVIDERS: Type.String({ default: '', maxLength: 20_000, description: 'a JSON array of OpenID Connect providers to sign in with: `[{ id, issuer, clientId, clientSecret | clientSecretEnv, scopes?, claims?: { email, name, emailVerified }, allowSignup?, name? }]`; empty: none' }),
  AUTH_OIDC_CALLBACK_URL: Type.String({ default: 'http://127.0.0.1:8080/api/v1/auth/oidc/{provider}/callback', pattern: '^https?://', description: 'the redirect URI registered at each provider, `{provider}` replaced by its id: the callback route through the gateway' }),
  AUTH_OIDC_FLOW_TTL_SECONDS: Type.Integer({ default: 600, minimum: 60, maximum: 3600, description: 'how long a sign-in may take at the provider, from start to callback' }),
  AUTH_OIDC_TIMEOUT_SECONDS: Type.Integer({ default: 10, minimum: 1, maximum: 60, description: 'the longest wait for each request to a provider (discovery, token, keys, userinfo)' }),
  AUTH_KEY_ENCRYPTION_KEY: Type.Optional(Type.String({ minLength: 44, maxLength: 44, description: 'base64 of 32 random bytes; encrypts the stored signing keys (AES-256-GCM); required in production' }))
})
