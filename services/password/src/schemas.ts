import { Type } from '@sinclair/typebox'
import type { Static } from '@sinclair/typebox'
import { StrictObject } from '@app/kit/http'

const Email = Type.String({ format: 'email', maxLength: 320, examples: ['ada@example.com'] })
const Phone = Type.String({ pattern: '^\\+[1-9][0-9]{6,14}$', description: 'E.164', examples: ['+14155550123'] })
const NewPassword = Type.String({ minLength: 8, maxLength: 1024, description: '8 to 128 characters, not one of the 10,000 most common passwords' })
const Otp = Type.String({ pattern: '^[0-9]{6}$', description: 'the 6-digit code that was sent' })
export const ResetToken = Type.String({ minLength: 20, maxLength: 100, pattern: '^[A-Za-z0-9_-]+$', description: 'the token from the reset link' })

export const ForgotBodySchema = StrictObject({
  email: Type.Optional(Email),
  phone: Type.Optional(Phone),
  method: Type.Optional(Type.Union([Type.Literal('link'), Type.Literal('otp')], { default: 'link', description: '`link`: a single-use link (30 minutes); `otp`: a 6-digit code' }))
}, { description: 'email or phone; the message goes to the same channel' })
export type ForgotBody = Static<typeof ForgotBodySchema>

export const ResetBodySchema = StrictObject({
  token: Type.Optional(ResetToken),
  email: Type.Optional(Email),
  phone: Type.Optional(Phone),
  otp: Type.Optional(Otp),
  newPassword: NewPassword
}, { description: '`token` + `newPassword`, or `email`/`phone` + `otp` + `newPassword`' })
export type ResetBody = Static<typeof ResetBodySchema>

export const ChangeBodySchema = StrictObject({
  currentPassword: Type.String({ minLength: 1, maxLength: 1024 }),
  newPassword: NewPassword
})

export const AcceptedSchema = Type.Object({ message: Type.String() })
