import { Type } from '@sinclair/typebox'
import { Id, OneOf, Phone, Sha256Hex } from './common.ts'

const LoginMethod = OneOf(['password', 'phone_otp', 'mfa', 'passkey'])

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
  reason: OneOf(['invalid_credentials']),
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
  reason: OneOf(['user_ended', 'disabled', 'deleted'])
})

export const AuthMfaEnabled = Type.Object({ userId: Id, channel: OneOf(['sms', 'email', 'totp']) })
export const AuthMfaDisabled = Type.Object({ userId: Id })

export const AuthPasskeyChanged = Type.Object({
  userId: Id,
  /** The stored passkey's id (a WebAuthn credential id is base64url, up to 1023 bytes). */
  passkeyId: Type.String({ pattern: '^[A-Za-z0-9_.:-]{1,1400}$' }),
  name: Type.Optional(Type.String({ maxLength: 200 }))
})

/** Internal (exchange `auth-jobs`): a phone login start, looked up in the background. */
export const AuthPhoneLoginRequested = Type.Object({ phone: Phone })
