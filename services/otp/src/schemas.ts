import { Type } from '@sinclair/typebox'
import { StrictObject } from '@app/kit/http'
import { INTERNAL_OTP_FLOWS } from '@app/contracts/verification'
import { PUBLIC_PURPOSES, PURPOSES } from './otp-service.ts'

const Destination = Type.String({ minLength: 4, maxLength: 320, description: 'an E.164 phone number (the code goes by SMS) or an email address', examples: ['+14155550123'] })
const Purpose = Type.Optional(Type.Union(PUBLIC_PURPOSES.map(p => Type.Literal(p)), { description: 'what the code is for; a code only validates for its own purpose (default `verification`)' }))
const InternalPurpose = Type.Optional(Type.Union(PURPOSES.map(p => Type.Literal(p)), { description: 'what the code is for (default `verification`); `reauth` is internal only' }))
const Flow = Type.Optional(Type.Union(INTERNAL_OTP_FLOWS.map(f => Type.Literal(f)), {
  description: 'the flow the code belongs to; a code validates only for the flow it was sent for (default: the one the purpose implies, `verification` for `verification`). Codes from /api/v1/otp are flow `public` and never satisfy these.'
}))
const Code = Type.String({ pattern: '^[0-9]{6}$', description: 'the 6-digit code' })

export const GenerateBodySchema = StrictObject({
  destination: Destination,
  purpose: Purpose,
  channel: Type.Optional(Type.Union([Type.Literal('sms'), Type.Literal('email')], { description: 'must match the destination: sms for a phone, email for an address' }))
})
export const DestinationBodySchema = StrictObject({ destination: Destination, purpose: Purpose })
export const ValidateBodySchema = StrictObject({ destination: Destination, purpose: Purpose, otp: Code })
export const InternalVerifyBodySchema = StrictObject({ destination: Destination, purpose: InternalPurpose, flow: Flow, otp: Code })

export const InternalSendBodySchema = StrictObject({
  destination: Destination,
  purpose: InternalPurpose,
  flow: Flow,
  userId: Type.Optional(Type.String({ format: 'uuid' })),
  clientIp: Type.Optional(Type.String({ maxLength: 64, description: 'the end user\'s address, for the per-IP limit' }))
})

export const SentSchema = Type.Object({
  message: Type.String(),
  expiresIn: Type.Integer({ description: 'seconds until the code expires' }),
  resendAfter: Type.Integer({ description: 'seconds before another send is accepted' })
}, { $id: 'OtpSent' })

export const ValidSchema = Type.Object({ valid: Type.Literal(true) })
