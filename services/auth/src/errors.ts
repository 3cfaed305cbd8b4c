import { defineErrors } from '@app/kit/errors'

export const AuthErrors = defineErrors('auth', {
  token_expired: { status: 401, message: 'Token expired' },
  token_reused: { status: 401, message: 'Refresh token reused' },
  mfa_challenge_invalid: { status: 401, message: 'Login challenge invalid' },
  mfa_code_invalid: { status: 400, message: 'Invalid second-factor code' },
  mfa_unavailable: { status: 400, message: 'Second factor unavailable' },
  reauth_unavailable: { status: 400, message: 'No verified contact for a code' }
})
