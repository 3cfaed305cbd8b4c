import { Type } from '@sinclair/typebox'
import { Channel, Email, Id, Nullable, OneOf, Phone } from './common.ts'

/** The addresses are the ones the account had when the password changed: the confirmation goes there. */
export const PasswordChanged = Type.Object({
  userId: Id,
  reason: OneOf(['reset', 'change']),
  email: Nullable(Email),
  phone: Nullable(Phone),
  /** The session that made the change stays; every other one ends. */
  keepSessionId: Type.Optional(Nullable(Id))
})

export const PasswordResetRequested = Type.Object({
  userId: Id,
  method: OneOf(['link', 'otp']),
  channel: Channel
})

/** Internal (exchange `password-jobs`): a forgot-password request, looked up in the background. */
export const PasswordForgotReceived = Type.Object({
  email: Type.Optional(Email),
  phone: Type.Optional(Phone),
  method: OneOf(['link', 'otp'])
})
