import { Type } from '@sinclair/typebox'
import { Email, Id, Nullable, OneOf, Phone, Sha256Hex } from './common.ts'

// handoff: a hosted page's sign-in handed to an app on another origin (POST /api/v1/auth/handoff/exchange)
const LoginMethod = OneOf(['password', 'phone_otp', 'mfa', 'passkey', 'magic_link', 'oidc', 'handoff'])

/** Why a login was refused; passkey reasons name the failed WebAuthn check. */
const LoginFailureReason = OneOf([
  'invalid_credentials',
  'unknown_passkey', 'challenge_invalid', 'origin_mismatch', 'rp_id_mismatch', 'signature_invalid', 'counter_regressed', 'user_verification_missing', 'invalid_response',
  'magic_link_invalid', 'magic_link_expired', 'magic_link_used',
  // identity providers (oidc): `signature_invalid` above is also an ID token signed with a key the provider does not publish
  'state_invalid', 'code_invalid', 'provider_error', 'provider_unavailable', 'nonce_mismatch', 'token_invalid', 'email_unverified', 'account_unverified', 'signup_disabled', 'account_disabled'
])

export const AuthLoginSucceeded = Type.Object({
  userId: Id,
  sessionId: Id,
  method: LoginMethod,
  /** First login from this device (no device cookie or token it had before). */
  newDevice: Type.Optional(Type.Boolean()),
  ip: Type.Optional(Type.String({ maxLength: 64 })),
  userAgent: Type.Optional(Type.String({ maxLength: 512 }))
})

/** No subject and no identifier: only its SHA-256, so the trail does not collect typed emails. */
export const AuthLoginFailed = Type.Object({
  method: LoginMethod,
  reason: LoginFailureReason,
  identifierHash: Sha256Hex
})

export const AuthLoggedOut = Type.Object({
  userId: Id,
  sessionIds: Type.Array(Id),
  scope: OneOf(['session', 'others', 'all']),
  /** Why sessions ended in bulk, e.g. `password_change`. */
  reason: Type.Optional(Type.String({ minLength: 1, maxLength: 100 }))
})

export const AuthTokenReuseDetected = Type.Object({ userId: Id, sessionId: Id, sessionEnded: Type.Boolean() })

export const AuthSessionEnded = Type.Object({
  userId: Id,
  sessionId: Id,
  /** `admin_ended`: an administrator ended it (DELETE /api/v1/auth/users/{id}/sessions/{sid}); `by` names them. */
  reason: OneOf(['user_ended', 'admin_ended', 'disabled', 'deleted']),
  by: Type.Optional(Id)
})

export const AuthMfaEnabled = Type.Object({ userId: Id, channel: OneOf(['sms', 'email', 'totp']) })
export const AuthMfaDisabled = Type.Object({ userId: Id })

export const AuthPasskeyChanged = Type.Object({
  userId: Id,
  /** The stored passkey's id (a WebAuthn credential id is base64url, up to 1023 bytes). */
  passkeyId: Type.String({ pattern: '^[A-Za-z0-9_.:-]{1,1400}$' }),
  name: Type.Optional(Type.String({ maxLength: 200 }))
})

/**
 * An identity provider's account was linked to an existing account (its verified email matched): from now on it
 * signs in as that account. Never the provider's subject or the email. An account the provider created is not linked to.
 */
export const AuthIdentityLinked = Type.Object({
  userId: Id,
  /** The provider's id in AUTH_OIDC_PROVIDERS. */
  provider: Type.String({ pattern: '^[a-z0-9][a-z0-9_-]{0,39}$' })
})

/** Internal (exchange `auth-jobs`): a phone login start, looked up in the background. */
export const AuthPhoneLoginRequested = Type.Object({ phone: Phone })

/** A magic link was mailed: to an account (`userId`), or for a new one (`signup`, only with AUTH_MAGIC_LINK_SIGNUP). Never the token or the address. */
export const AuthMagicLinkRequested = Type.Object({ userId: Nullable(Id), signup: Type.Boolean() })

/**
 * Internal (exchange `auth-jobs`): a magic-link request, looked up and mailed in the background so that
 * the answer is the same for every address. `nonceHash` binds the link to the browser that asked.
 */
export const AuthMagicLinkReceived = Type.Object({
  email: Email,
  redirectTo: Nullable(Type.String({ maxLength: 2048 })),
  nonceHash: Sha256Hex,
  /** Coarse, for the other-device confirmation: e.g. `Firefox on Linux`, `203.0.113.0/24`. */
  requestedAgent: Type.String({ maxLength: 100 }),
  requestedNetwork: Type.String({ maxLength: 64 })
})
