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
