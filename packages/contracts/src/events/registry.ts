import type { Static, TSchema } from '@sinclair/typebox'
import * as auth from './auth.ts'
import * as emailVerification from './email-verification.ts'
import * as notification from './notification.ts'
import * as order from './order.ts'
import * as otp from './otp.ts'
import * as password from './password.ts'
import * as user from './user.ts'

export interface EventContract<S extends TSchema = TSchema> {
  /** Bumped when a member changes or goes; adding a member is non-breaking and keeps it. */
  version: number
  schema: S
  /** The CloudEvents `dataschema` attribute producers set: `urn:gatehouse:event:<type>:v<version>`. */
  dataschema: string
  /** Published on this exchange instead of `events` (messages between two services, not facts for everyone). */
  exchange?: string
}

const v1 = <S extends TSchema>(schema: S, exchange?: string) => ({ version: 1, schema, ...(exchange ? { exchange } : {}) })

/** Every event type and internal message, with its payload schema and version. */
const contracts = {
  'user.registered': v1(user.UserRegistered),
  'user.updated': v1(user.UserUpdated),
  'user.email_verified': v1(user.UserEmailVerified),
  'user.phone_verified': v1(user.UserPhoneVerified),
  'user.deleted': v1(user.UserDeleted),
  'user.disabled': v1(user.UserModerated),
  'user.enabled': v1(user.UserModerated),
  'user.email_change_requested': v1(user.UserEmailChangeRequested),
  'user.email_change_undone': v1(user.UserEmailChangeUndone),

  'auth.login_succeeded': v1(auth.AuthLoginSucceeded),
  'auth.login_failed': v1(auth.AuthLoginFailed),
  'auth.logged_out': v1(auth.AuthLoggedOut),
  'auth.token_reuse_detected': v1(auth.AuthTokenReuseDetected),
  'auth.session_ended': v1(auth.AuthSessionEnded),
  'auth.mfa_enabled': v1(auth.AuthMfaEnabled),
  'auth.mfa_disabled': v1(auth.AuthMfaDisabled),
  'auth.passkey_added': v1(auth.AuthPasskeyChanged),
  'auth.passkey_removed': v1(auth.AuthPasskeyChanged),
  'auth.identity_linked': v1(auth.AuthIdentityLinked),
  'auth.phone_login_requested': v1(auth.AuthPhoneLoginRequested, 'auth-jobs'),
  'auth.magic_link_requested': v1(auth.AuthMagicLinkRequested),
  'auth.magic_link_received': v1(auth.AuthMagicLinkReceived, 'auth-jobs'),

  'password.reset_requested': v1(password.PasswordResetRequested),
  'password.changed': v1(password.PasswordChanged),
  'password.forgot_received': v1(password.PasswordForgotReceived, 'password-jobs'),

  'otp.generated': v1(otp.OtpSent),
  'otp.regenerated': v1(otp.OtpSent),
  'otp.resent': v1(otp.OtpSent),
  'otp.validated': v1(otp.OtpValidated),
  'otp.validation_failed': v1(otp.OtpValidationFailed),
  'otp.abuse_suspected': v1(otp.OtpAbuseSuspected),
  'otp.requested': v1(otp.OtpRequested, 'verification'),
  'otp.request_completed': v1(otp.OtpRequestCompleted, 'verification'),

  'email_verification.sent': v1(emailVerification.EmailVerificationSent),
  'email_verification.verified': v1(emailVerification.EmailVerificationVerified),
  'email_verification.send_received': v1(emailVerification.EmailVerificationSendReceived, 'email-verification-jobs'),

  'notification.sent': v1(notification.NotificationSent),
  'notification.failed': v1(notification.NotificationFailed),
  'notification.requested': v1(notification.NotificationRequested, 'notifications'),

  'order.created': v1(order.OrderCreated)
}

type Contracts = typeof contracts
export type EventType = keyof Contracts
export type EventSchemas = { readonly [T in EventType]: EventContract<Contracts[T]['schema']> }

export const dataschemaOf = (type: string, version: number) => `urn:gatehouse:event:${type}:v${version}`

export const eventSchemas: EventSchemas = Object.freeze(Object.fromEntries(
  Object.entries(contracts).map(([type, c]) => [type, Object.freeze({ ...c, dataschema: dataschemaOf(type, c.version) })])
)) as unknown as EventSchemas

/** The payload of an event type, as its producer writes it and its consumers receive it. */
export type EventData<T extends EventType> = Static<Contracts[T]['schema']>

export const EVENT_TYPES = Object.keys(contracts) as EventType[]

export function isEventType (type: string): type is EventType {
  return Object.hasOwn(contracts, type)
}
