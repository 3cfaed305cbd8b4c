import { Type } from '@sinclair/typebox'
import { StrictObject } from '@app/kit/http'

export const VerificationToken = Type.String({ minLength: 20, maxLength: 100, pattern: '^[A-Za-z0-9_-]+$', description: 'the token from the verification link' })

export const SendBodySchema = StrictObject({
  email: Type.String({ format: 'email', maxLength: 320, examples: ['ada@example.com'] })
})

export const VerifyBodySchema = StrictObject({ token: VerificationToken })

export const AcceptedSchema = Type.Object({ message: Type.String() })

export const VerifiedSchema = Type.Object({
  email: Type.String({ description: 'the address that is now verified' }),
  verified: Type.Literal(true)
})
