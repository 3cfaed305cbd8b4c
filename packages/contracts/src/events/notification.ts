import { Type } from '@sinclair/typebox'
import { Channel, Email, Id, Locale, Nullable, Phone, Sealed, Word } from './common.ts'

const Outcome = {
  deliveryId: Id,
  userId: Nullable(Id),
  channel: Channel,
  template: Word,
  provider: Nullable(Type.String({ maxLength: 100 })),
  attempts: Type.Integer({ minimum: 0 }),
  /** The event the message was for, when it was for one. */
  sourceEventId: Nullable(Id),
  sourceEventType: Nullable(Type.String({ maxLength: 100 }))
}

export const NotificationSent = Type.Object({ ...Outcome, providerMessageId: Type.String({ maxLength: 500 }) })
export const NotificationFailed = Type.Object({
  ...Outcome,
  permanent: Type.Boolean(),
  error: Type.String({ maxLength: 4000 })
})

/**
 * Internal (exchange `notifications`, routing key `notification.requested.<template>`):
 * a service asks for a message. Secrets (a code, a link with a token) only sealed.
 */
export const NotificationRequested = Type.Object({
  template: Word,
  channel: Channel,
  to: Type.Union([Email, Phone]),
  userId: Type.Optional(Nullable(Id)),
  locale: Type.Optional(Locale),
  /** Template variables that are not secret. */
  variables: Type.Record(Type.String(), Type.String()),
  sealed: Type.Optional(Sealed)
})
