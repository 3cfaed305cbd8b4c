import { defineErrors } from '@app/kit/errors'

export const OtpErrors = defineErrors('otp', {
  otp_invalid: { status: 400, message: 'Invalid code' },
  otp_expired: { status: 410, message: 'Code expired' },
  otp_attempts_exceeded: { status: 429, message: 'Too many wrong codes' }
})
