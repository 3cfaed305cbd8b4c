import { Type } from '@sinclair/typebox'
import type { Static } from '@sinclair/typebox'
import { StrictObject } from '@app/kit/http'

const Email = Type.String({ minLength: 3, maxLength: 320, description: 'an email address; trimmed, domain lower-cased', examples: ['ada@example.com'] })
const Phone = Type.String({ minLength: 4, maxLength: 32, description: 'E.164 phone number', examples: ['+14155550123'] })
export const Password = Type.String({ minLength: 8, maxLength: 128, description: '8 to 128 characters' })

export const RegisterBodySchema = StrictObject({
  email: Type.Optional(Email),
  phone: Type.Optional(Phone),
  password: Type.Optional(Password),
  name: Type.Optional(Type.String({ minLength: 1, maxLength: 100 }))
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
  createdAt: Type.String({ format: 'date-time' }),
  updatedAt: Type.String({ format: 'date-time' })
}, { $id: 'User' })

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
