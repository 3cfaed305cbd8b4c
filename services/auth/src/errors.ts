import { defineErrors } from '@app/kit/errors'

export const AuthErrors = defineErrors('auth', {
  token_expired: { status: 401, message: 'Token expired' },
  token_reused: { status: 401, message: 'Refresh token reused' }
})
