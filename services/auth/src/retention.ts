import type { RetentionRule } from '@app/kit/db'

export interface AuthRetention {
  AUTH_SESSION_RETENTION_HOURS: number
  AUTH_TOKEN_RETENTION_HOURS: number
  AUTH_OTP_RESULT_RETENTION_HOURS: number
}

/**
 * A spent refresh token is kept until it expires: presenting it again is how
 * a stolen copy is detected (and its session ended). Deleting a session
 * deletes its refresh tokens (on delete cascade).
 */
export function authRetention (config: AuthRetention): RetentionRule[] {
  return [
    { name: 'sessions.ended', table: 'sessions', expired: 'revoked_at < $1 or expires_at < $1', keepHours: config.AUTH_SESSION_RETENTION_HOURS },
    // Only needed while an access token of the session could be alive: the token window is far longer.
    { name: 'session_tombstones', table: 'session_tombstones', expired: 'revoked_at < $1', keepHours: config.AUTH_TOKEN_RETENTION_HOURS },
    { name: 'refresh_tokens.expired', table: 'refresh_tokens', expired: 'expires_at < $1', keepHours: config.AUTH_TOKEN_RETENTION_HOURS },
    { name: 'mfa_challenges.expired', table: 'mfa_challenges', expired: 'expires_at < $1', keepHours: config.AUTH_TOKEN_RETENTION_HOURS },
    { name: 'magic_links.expired', table: 'magic_links', expired: 'expires_at < $1', keepHours: config.AUTH_TOKEN_RETENTION_HOURS },
    { name: 'oidc_flows.expired', table: 'oidc_flows', expired: 'expires_at < $1', keepHours: config.AUTH_TOKEN_RETENTION_HOURS },
    { name: 'oidc_exchange_codes.expired', table: 'oidc_exchange_codes', expired: 'expires_at < $1', keepHours: config.AUTH_TOKEN_RETENTION_HOURS },
    { name: 'handoff_codes.expired', table: 'handoff_codes', expired: 'expires_at < $1', keepHours: config.AUTH_TOKEN_RETENTION_HOURS },
    { name: 'otp_request_results', table: 'otp_request_results', expired: 'received_at < $1', keepHours: config.AUTH_OTP_RESULT_RETENTION_HOURS },
    // Past its TTL a known device or network no longer counts (AUTH_KNOWN_DEVICE_TTL_SECONDS, AUTH_KNOWN_IP_TTL_SECONDS).
    { name: 'login_known_clients.expired', table: 'login_known_clients', expired: 'expires_at < $1', keepHours: 0 }
  ]
}
