import { AuthorizationResponseError, ClientError, ResponseBodyError } from 'openid-client'
import type { AppError } from '@app/kit/errors'
import { OidcErrors } from './errors.ts'
import { unavailable } from './provider-directory.ts'
import type { OidcProvider } from './providers-config.ts'

/** Why a sign-in failed, as `auth.login_failed` records it. */
export type OidcFailureReason =
  | 'state_invalid' | 'code_invalid' | 'provider_error' | 'provider_unavailable'
  | 'signature_invalid' | 'nonce_mismatch' | 'token_invalid'
  | 'email_unverified' | 'account_unverified' | 'signup_disabled' | 'account_disabled'

const REASONS: Record<string, OidcFailureReason> = {
  oidc_state_invalid: 'state_invalid',
  oidc_code_invalid: 'code_invalid',
  oidc_provider_error: 'provider_error',
  oidc_provider_unavailable: 'provider_unavailable',
  oidc_email_unverified: 'email_unverified',
  oidc_signup_disabled: 'signup_disabled',
  oidc_account_unverified: 'account_unverified',
  account_disabled: 'account_disabled'
}

/** The audited reason of a refused sign-in; undefined for errors that are not a refusal (another service down). */
export function reasonOf (error: AppError): OidcFailureReason | undefined {
  if (error.code === 'oidc_token_invalid') return (error.extra?.reason as OidcFailureReason | undefined) ?? 'token_invalid'
  return REASONS[error.code]
}

const causeOf = (err: unknown): unknown => (err as { cause?: unknown } | undefined)?.cause

/** A fetch that never got an answer: refused, reset, timed out, name not found. */
function unreachable (err: unknown): boolean {
  // undici's `fetch failed` (its cause names ECONNREFUSED and the like); other TypeErrors are programming errors.
  if (err instanceof TypeError) return err.message === 'fetch failed'
  const name = (err as { name?: unknown } | undefined)?.name
  return name === 'TimeoutError' || name === 'AbortError'
}

/** A response whose HTTP status says the provider itself is failing. */
function serverFailed (err: unknown): boolean {
  const status = err instanceof ResponseBodyError ? err.status : (causeOf(err) instanceof Response ? (causeOf(err) as Response).status : 0)
  return status >= 500
}

const tokenInvalid = (reason: OidcFailureReason, detail: string, cause: unknown): AppError =>
  OidcErrors.oidc_token_invalid({ detail, extra: { reason }, cause })

/**
 * What went wrong when the callback asked the provider for its tokens, as a
 * catalogued error: the provider unreachable or failing (503), a token that
 * fails its checks (401, naming the check), or a refusal (400).
 */
export function providerFailure (provider: OidcProvider, err: unknown): AppError {
  if (unreachable(err) || serverFailed(err)) return unavailable(provider, err)
  if (err instanceof AuthorizationResponseError || err instanceof ResponseBodyError) {
    // An OAuth error code (access_denied, invalid_grant); anything else the provider wrote is not repeated.
    const providerError = /^[\w.-]{1,64}$/.test(err.error) ? err.error : 'error'
    return OidcErrors.oidc_provider_error({ detail: `${provider.name} answered ${providerError}`, extra: { providerError }, cause: err })
  }
  if (err instanceof ClientError) {
    const inner = causeOf(err)
    const claim = (causeOf(inner) as { claim?: unknown } | undefined)?.claim
    switch (err.code) {
      case 'OAUTH_KEY_SELECTION_FAILED':
        return tokenInvalid('signature_invalid', 'The ID token is signed with a key the provider does not publish', err)
      case 'OAUTH_INVALID_RESPONSE':
        if (/signature verification failed/.test((inner as Error | undefined)?.message ?? '')) {
          return tokenInvalid('signature_invalid', 'The ID token signature does not verify with the provider\'s published keys', err)
        }
        break
      case 'OAUTH_JWT_CLAIM_COMPARISON_FAILED':
        if (claim === 'nonce') return tokenInvalid('nonce_mismatch', 'The ID token was not issued for this sign-in (nonce mismatch)', err)
        return tokenInvalid('token_invalid', `The ID token's ${typeof claim === 'string' ? `"${claim}" claim` : 'claims'} do not match this client`, err)
      case 'OAUTH_JWT_TIMESTAMP_CHECK_FAILED':
        return tokenInvalid('token_invalid', 'The ID token is expired or not yet valid', err)
    }
  }
  return tokenInvalid('token_invalid', `${provider.name} answered with a response that fails validation`, err)
}
