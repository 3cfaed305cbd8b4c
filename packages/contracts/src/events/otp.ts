import { Type } from '@sinclair/typebox'
import { Channel, Email, Id, InternalOtpFlow, OneOf, OtpFlow, OtpPurpose, Phone, Timestamp } from './common.ts'

/** Where a code went: the destination as the otp service normalised it. Never the code. */
const CodeFacts = {
  destination: Type.Union([Phone, Email]),
  channel: Channel,
  purpose: OtpPurpose,
  flow: Type.Optional(OtpFlow)
}

export const OtpSent = Type.Object({ ...CodeFacts, expiresAt: Timestamp })
export const OtpValidated = Type.Object(CodeFacts)
export const OtpValidationFailed = Type.Object({
  ...CodeFacts,
  attempts: Type.Integer({ minimum: 1 }),
  /** The code is used up: no further try can succeed. */
  dead: Type.Boolean()
})

/** Never the full number: a prefix, a country, or a keyed hash of the destination. */
export const OtpAbuseSuspected = Type.Object({
  reason: OneOf(['country_not_allowed', 'prefix_velocity', 'distinct_destinations', 'conversion_collapse']),
  mode: OneOf(['enforce', 'record']),
  /** ISO 3166-1 alpha-2. */
  country: Type.Optional(Type.String({ pattern: '^[A-Z]{2}$' })),
  /** The number without its last digits, e.g. `+4479460001`. */
  prefix: Type.Optional(Type.String({ pattern: '^\\+[0-9]{1,13}$' })),
  destinationHash: Type.Optional(Type.String({ pattern: '^[A-Za-z0-9_-]{16,128}$' }))
})

/** Internal (exchange `verification`, routing key `otp_routing_key`): a service asks for a code. */
export const OtpRequested = Type.Object({
  requestId: Id,
  destination: Type.Union([Phone, Email]),
  purpose: OtpPurpose,
  /** Defaults to the flow the purpose implies. */
  flow: Type.Optional(InternalOtpFlow),
  userId: Type.Optional(Type.Union([Id, Type.Null()]))
})

/** Internal (routing key `otp_to_auth`): what became of a request; a status, never the code. */
export const OtpRequestCompleted = Type.Object({
  requestId: Id,
  destination: Type.Union([Phone, Email]),
  purpose: OtpPurpose,
  status: OneOf(['sent', 'rate_limited', 'invalid'])
})
