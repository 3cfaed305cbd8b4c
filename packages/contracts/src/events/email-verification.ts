import { Type } from '@sinclair/typebox'
import { Email, Id } from './common.ts'

export const EmailVerificationSent = Type.Object({ userId: Id, email: Email })
export const EmailVerificationVerified = Type.Object({ userId: Id, email: Email })

/** Internal (exchange `email-verification-jobs`): a send request, looked up in the background. */
export const EmailVerificationSendReceived = Type.Object({ email: Type.String({ minLength: 1, maxLength: 320 }) })
