import { Type } from '@sinclair/typebox'
import type { TLiteral, TSchema, TUnion } from '@sinclair/typebox'

/**
 * Building blocks of the event schemas. Objects are open (a member added to
 * an event is non-breaking: a consumer on the previous release still accepts
 * it); every member a producer sends is declared, and a member named like a
 * secret is refused whatever the schema says (see `secretMembers`).
 */

/** A user, session, order or request id: a UUID in production; any short token of id characters. */
export const Id = Type.String({ pattern: '^[A-Za-z0-9][A-Za-z0-9_.:-]{0,127}$' })
export const Email = Type.String({ minLength: 3, maxLength: 320, pattern: '^[^\\s@]+@[^\\s@]+$' })
/** E.164. */
export const Phone = Type.String({ pattern: '^\\+[1-9][0-9]{6,14}$' })
export const Locale = Type.String({ pattern: '^[A-Za-z]{2,8}(-[A-Za-z0-9]{1,8})*$' })
/** An ISO 8601 timestamp with a zone, as `Date.toISOString()` writes it. */
export const Timestamp = Type.String({ pattern: '^\\d{4}-\\d{2}-\\d{2}T\\d{2}:\\d{2}:\\d{2}(\\.\\d+)?(Z|[+-]\\d{2}:\\d{2})$' })
/** A lower_snake word: a reason, a template name, a change. */
export const Word = Type.String({ pattern: '^[a-z][a-z0-9_]{0,63}$' })
export const Sha256Hex = Type.String({ pattern: '^[0-9a-f]{64}$' })
/** Secret values sealed with `sealSecrets` (`@app/contracts/delivery`): ciphertext only. */
export const Sealed = Type.String({ minLength: 1, maxLength: 16_384 })

export const Nullable = <T extends TSchema>(schema: T) => Type.Union([schema, Type.Null()])
type Literals<V extends readonly string[]> = { -readonly [K in keyof V]: TLiteral<V[K]> }
/** One of the given strings (typed as the tuple of literals: a mapped array would widen to string inside objects). */
export const OneOf = <const V extends readonly string[]>(values: V) => Type.Union(values.map(v => Type.Literal(v))) as unknown as TUnion<Literals<V>>

export const Channel = OneOf(['email', 'sms'])
export const OtpPurpose = OneOf(['verification', 'login', 'password_reset', 'mfa', 'reauth'])
const INTERNAL_OTP_FLOWS = ['phone_signup', 'phone_login', 'phone_change', 'password_reset', 'mfa', 'reauth', 'verification'] as const
/** The flows a service asks codes for (`/internal/otp/*`, `otp_queue`). */
export const InternalOtpFlow = OneOf(INTERNAL_OTP_FLOWS)
/** Any flow: `public` is what `/api/v1/otp/*` issues. */
export const OtpFlow = OneOf(['public', ...INTERNAL_OTP_FLOWS])
