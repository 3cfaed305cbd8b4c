import { defineErrors } from '@app/kit/errors'

export const EmailVerificationErrors = defineErrors('email-verification', {
  verification_token_invalid: { status: 400, message: 'Verification token invalid' },
  verification_email_changed: { status: 400, message: 'Email address changed' }
})
