import { defineErrors } from '@app/kit/errors'

// Feature folders keep their own codes; re-exported here so the catalogue drift test (docs/errors.md) sees them.
export { OidcErrors } from './oidc/errors.ts'
export { MagicLinkErrors } from './magic-links/errors.ts'
export { HostedErrors } from './hosted/errors.ts'

export const AuthErrors = defineErrors('auth', {
  token_expired: { status: 401, message: 'Token expired' },
  token_reused: { status: 401, message: 'Refresh token reused' },
  mfa_challenge_invalid: { status: 401, message: 'Login challenge invalid' },
  mfa_code_invalid: { status: 400, message: 'Invalid second-factor code' },
  mfa_unavailable: { status: 400, message: 'Second factor unavailable' },
  reauth_unavailable: { status: 400, message: 'No verified contact for a code' },
  passkey_rejected: { status: 400, message: 'Passkey response rejected' },
  passkeys_unavailable: { status: 503, message: 'Passkeys are not configured' }
})
