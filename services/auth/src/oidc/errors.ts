import { defineErrors } from '@app/kit/errors'

/** Sign-in with an identity provider; docs/errors.md says where each surfaces (a problem, or `error=` on the return address). */
export const OidcErrors = defineErrors('auth', {
  oidc_provider_unknown: { status: 404, message: 'Unknown identity provider' },
  oidc_provider_unavailable: { status: 503, message: 'Identity provider unavailable' },
  oidc_state_invalid: { status: 400, message: 'Sign-in state invalid' },
  oidc_provider_error: { status: 400, message: 'The identity provider refused the sign-in' },
  oidc_token_invalid: { status: 401, message: 'Identity provider token invalid' },
  oidc_email_unverified: { status: 403, message: 'No verified email from the identity provider' },
  oidc_signup_disabled: { status: 403, message: 'No account for this identity' },
  oidc_account_unverified: { status: 409, message: 'The account has not confirmed its email' },
  oidc_code_invalid: { status: 400, message: 'Sign-in code invalid' }
})
