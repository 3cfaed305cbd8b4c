import { Type } from '@sinclair/typebox'
import type { Static } from '@sinclair/typebox'
import { StrictObject } from '@app/kit/http'

const RefreshToken = Type.String({ minLength: 1, maxLength: 256, description: 'the opaque refresh token from login or refresh' })

export const LoginBodySchema = StrictObject({
  email: Type.Optional(Type.String({ minLength: 3, maxLength: 320, examples: ['ada@example.com'] })),
  phone: Type.Optional(Type.String({ minLength: 4, maxLength: 32, description: 'E.164', examples: ['+14155550123'] })),
  password: Type.String({ minLength: 1, maxLength: 1024 })
}, { description: 'email or phone, and the password' })
export type LoginBody = Static<typeof LoginBodySchema>

export const TokenPairSchema = Type.Object({
  accessToken: Type.String({ description: 'EdDSA JWT (typ at+jwt)' }),
  refreshToken: Type.String({ description: 'opaque; single use, rotated on every refresh' }),
  tokenType: Type.Literal('Bearer'),
  expiresIn: Type.Integer({ description: 'access token lifetime in seconds' })
}, { $id: 'TokenPair' })

export const RefreshBodySchema = StrictObject({ refreshToken: RefreshToken })
export const ValidateBodySchema = StrictObject({ token: Type.String({ minLength: 1, maxLength: 8192 }) })

export const ValidationSchema = Type.Object({
  valid: Type.Boolean(),
  sub: Type.Optional(Type.String()),
  exp: Type.Optional(Type.Integer({ description: 'epoch seconds' })),
  roles: Type.Optional(Type.Array(Type.String()))
})

export const JwksSchema = Type.Object({
  keys: Type.Array(Type.Object({
    kty: Type.String(),
    crv: Type.String(),
    x: Type.String(),
    kid: Type.String(),
    alg: Type.Literal('EdDSA'),
    use: Type.Literal('sig')
  }))
})

export const MfaChallengeSchema = Type.Object({
  mfaRequired: Type.Literal(true),
  challengeId: Type.String({ format: 'uuid', description: 'answer it at POST /api/v1/auth/mfa/verify within 5 minutes' }),
  channel: Type.Union([Type.Literal('sms'), Type.Literal('email'), Type.Literal('totp')], { description: 'where the code is: sent by SMS or email, or shown by the authenticator app' }),
  passkey: Type.Optional(Type.Literal(true, { description: 'the user has a passkey, which can answer the challenge instead of a code: POST /api/v1/auth/mfa/passkey/options, then /api/v1/auth/mfa/passkey' }))
}, { $id: 'MfaChallenge' })

const MfaCode = Type.String({ minLength: 6, maxLength: 11, pattern: '^([0-9]{6}|[A-Za-z2-9]{5}-?[A-Za-z2-9]{5})$', description: 'a 6-digit code, or a recovery code such as k7qd3-m2xpa' })

export const MfaSettingBodySchema = StrictObject({
  enabled: Type.Boolean(),
  channel: Type.Optional(Type.Union([Type.Literal('sms'), Type.Literal('email'), Type.Literal('totp')])),
  otp: Type.Optional(MfaCode)
})

export const MfaVerifyBodySchema = StrictObject({ challengeId: Type.String({ format: 'uuid' }), otp: MfaCode })
