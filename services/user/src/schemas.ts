import { Type } from '@sinclair/typebox'
import type { Static } from '@sinclair/typebox'
import { StrictObject } from '@app/kit/http'

const Email = Type.String({ minLength: 3, maxLength: 320, description: 'an email address; trimmed, domain lower-cased', examples: ['ada@example.com'] })
const Phone = Type.String({ minLength: 4, maxLength: 32, description: 'E.164 phone number', examples: ['+14155550123'] })
const Name = Type.String({ minLength: 1, maxLength: 100 })
// The policy (@app/password-policy) judges the length in code points after NFKC, so an emoji counts once; the schema only bounds the work.
export const Password = Type.String({
  minLength: 1,
  maxLength: 1024,
  description: '8 to 128 characters (Unicode code points); not one of the 10,000 most common passwords, nor the account\'s email or phone'
})

export const RegisterBodySchema = StrictObject({
  email: Type.Optional(Email),
  phone: Type.Optional(Phone),
  password: Type.Optional(Password),
  name: Type.Optional(Name)
}, { description: 'email and/or phone; password is required with email' })
export type RegisterBody = Static<typeof RegisterBodySchema>

export const UserSchema = Type.Object({
  id: Type.String({ format: 'uuid' }),
  email: Type.Union([Type.String(), Type.Null()]),
  phone: Type.Union([Type.String(), Type.Null()]),
  name: Type.Union([Type.String(), Type.Null()]),
  emailVerified: Type.Boolean(),
  phoneVerified: Type.Boolean(),
  roles: Type.Array(Type.String()),
  locale: Type.String(),
  disabled: Type.Boolean({ description: 'disabled by an administrator: login, refresh and phone login are refused' }),
  pendingEmail: Type.Union([Type.String(), Type.Null()], { description: 'a new email waiting for its verification link to be used; `email` stays in use until then' }),
  pendingPhone: Type.Union([Type.String(), Type.Null()], { description: 'a new phone waiting for its code (POST /api/v1/users/me/phone/verify); `phone` stays in use until then' }),
  createdAt: Type.String({ format: 'date-time' }),
  updatedAt: Type.String({ format: 'date-time' })
}, { $id: 'User' })

/** The user as other services see it: the public fields and what this service counts from other services' events. */
export const InternalUserSchema = Type.Object({
  ...UserSchema.properties,
  ordersCount: Type.Integer({ minimum: 0, description: 'orders the user placed, counted from order.created events (so a just-placed order may not show yet)' })
})

export const CredentialsBodySchema = StrictObject({
  email: Type.Optional(Email),
  phone: Type.Optional(Phone),
  password: Type.String({ minLength: 1, maxLength: 1024 })
})

export const UserIdParamsSchema = StrictObject({ id: Type.String({ format: 'uuid' }) })
export const LookupQuerySchema = StrictObject({ email: Type.Optional(Email), phone: Type.Optional(Phone) })
export const SetPasswordBodySchema = StrictObject({ password: Password })
export const VerifiedEmailBodySchema = StrictObject({ email: Email })
export const VerifiedPhoneBodySchema = StrictObject({ phone: Phone })

export const UpdateMeBodySchema = StrictObject({
  name: Type.Optional(Type.Union([Name, Type.Null()], { description: 'null (or blank) removes it' })),
  email: Type.Optional(Email),
  phone: Type.Optional(Type.Union([Phone, Type.Null()], { description: 'null removes it, if the account has an email' })),
  locale: Type.Optional(Type.String({ pattern: '^[a-z]{2,3}(-[A-Z]{2})?$', description: 'the language messages are written in, e.g. `en` or `de` (unknown ones fall back to English)', examples: ['de'] })),
  currentPassword: Type.Optional(Type.String({ minLength: 1, maxLength: 1024, description: 'the account\'s password: proof for an email or phone change when the session\'s last check is not recent' }))
}, { minProperties: 1, description: 'at least one field; a new email or phone is pending until verified, and changing either needs a recent proof' })

const Otp = Type.String({ pattern: '^[0-9]{6}$', description: 'the 6-digit code' })

export const DeleteMeBodySchema = StrictObject({
  password: Type.Optional(Type.String({ minLength: 1, maxLength: 1024, description: 'the account\'s password' })),
  otp: Type.Optional(Otp),
  channel: Type.Optional(Type.Union([Type.Literal('sms'), Type.Literal('email')], {
    description: 'with `otp`: where the code was sent (POST /api/v1/auth/reauthenticate/start); default the verified phone, else the verified email'
  }))
}, { description: 'exactly one of `password` and `otp` (a `reauth` code)' })

export const PhoneVerifyBodySchema = StrictObject({ otp: Otp })
export const UndoEmailChangeBodySchema = StrictObject({ token: Type.String({ minLength: 1, maxLength: 200, description: 'the token of the undo link' }) })
export const UndoneSchema = Type.Object({ email: Type.String({ description: 'the restored email' }) })

const Channel = Type.Union([Type.Literal('email'), Type.Literal('sms')])
const Channels = StrictObject({ email: Type.Boolean(), sms: Type.Boolean() }, { description: 'master switches per channel' })
const EventChannels = Type.Record(
  Type.String({ pattern: '^[a-z_]+\\.[a-z_]+$' }),
  Type.Array(Channel, { uniqueItems: true, maxItems: 2 }),
  { additionalProperties: false, maxProperties: 50, description: 'per event type (`area.fact`: lower-case letters and `_` either side of one dot, e.g. `user.updated`), the channels to use; at most 50 types', examples: [{ 'user.updated': ['email'] }] }
)
export const PreferencesSchema = StrictObject({ channels: Channels, events: EventChannels })
export const PreferencesBodySchema = StrictObject({ channels: Channels, events: Type.Optional(EventChannels) })

export const ContactPreferencesSchema = Type.Object({
  userId: Type.String({ format: 'uuid' }),
  email: Type.Union([Type.String(), Type.Null()]),
  phone: Type.Union([Type.String(), Type.Null()]),
  emailVerified: Type.Boolean(),
  phoneVerified: Type.Boolean(),
  locale: Type.String(),
  name: Type.Union([Type.String(), Type.Null()]),
  preferences: PreferencesSchema
})

export const UserListQuerySchema = StrictObject({
  query: Type.Optional(Type.String({ maxLength: 200, description: 'case-insensitive substring of the email, phone or name; `%` and `_` match literally' })),
  limit: Type.Optional(Type.Integer({ minimum: 1, maximum: 100, default: 20 })),
  cursor: Type.Optional(Type.String({ maxLength: 200, description: 'the `nextCursor` of the previous page' }))
})
export const UserPageSchema = Type.Object({
  items: Type.Array(Type.Ref('User')),
  nextCursor: Type.Union([Type.String(), Type.Null()], { description: 'null on the last page' })
})

export const RolesBodySchema = StrictObject({
  roles: Type.Array(Type.Union([Type.Literal('user'), Type.Literal('admin')]), { minItems: 1, uniqueItems: true, description: 'must include "user"' })
})
