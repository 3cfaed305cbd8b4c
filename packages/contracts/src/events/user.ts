import { Type } from '@sinclair/typebox'
import { Email, Id, Locale, Nullable, OneOf, Phone, Word } from './common.ts'

const Role = OneOf(['user', 'admin'])

/** Subject of every `user.*` event: the user id. */
export const UserRegistered = Type.Object({
  userId: Id,
  email: Nullable(Email),
  phone: Nullable(Phone),
  name: Nullable(Type.String({ maxLength: 200 })),
  locale: Type.Optional(Locale),
  /** True when the account was made from an email already proven (magic link, identity provider): no verification link is sent. */
  emailVerified: Type.Optional(Type.Boolean())
})

/** The contact details as they are after the change; never a secret. */
export const UserUpdated = Type.Object({
  userId: Id,
  /** `name`, `email`, `phone`, `locale`, `roles`, `preferences`, `pending_email`, `pending_phone`. */
  changes: Type.Array(Word),
  email: Nullable(Email),
  phone: Nullable(Phone),
  name: Nullable(Type.String({ maxLength: 200 })),
  locale: Type.Optional(Locale),
  /** True when the email address itself changed (it is then unverified). */
  emailChanged: Type.Boolean(),
  previousEmail: Type.Optional(Email),
  /** The verified number the account no longer has (it changed or was removed): told of the change. */
  previousPhone: Type.Optional(Phone),
  roles: Type.Optional(Type.Array(Role)),
  previousRoles: Type.Optional(Type.Array(Role)),
  preferences: Type.Optional(Type.Object({
    channels: Type.Object({ email: Type.Boolean(), sms: Type.Boolean() }),
    events: Type.Record(Type.String(), Type.Array(OneOf(['email', 'sms'])))
  }))
})

export const UserEmailVerified = Type.Object({
  userId: Id,
  email: Email,
  /**
   * True when proving the email (a magic link, an identity provider) took over an existing account whose email was
   * not verified: its password was cleared, and auth ends its sessions, two-step login and passkeys.
   */
  claimed: Type.Optional(Type.Boolean())
})
export const UserPhoneVerified = Type.Object({ userId: Id, phone: Phone })

/** Carries the addresses: the services that erase the user's data can still tell them. */
export const UserDeleted = Type.Object({
  userId: Id,
  email: Nullable(Email),
  phone: Nullable(Phone),
  emailVerified: Type.Boolean(),
  phoneVerified: Type.Boolean(),
  deletedBy: OneOf(['self', 'admin']),
  locale: Type.Optional(Locale)
})

/** `by`: the admin's user id. */
export const UserModerated = Type.Object({ userId: Id, by: Id })

/** `sealed` holds `{ undoLink }`. */
export const UserEmailChangeRequested = Type.Object({
  userId: Id,
  previousEmail: Email,
  newEmail: Email,
  sealed: Type.String({ minLength: 1, maxLength: 16_384 })
})

export const UserEmailChangeUndone = Type.Object({ userId: Id, restoredEmail: Email })
