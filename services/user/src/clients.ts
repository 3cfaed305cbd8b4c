import type { ServiceClient } from '@app/kit/client'

const path = (id: string) => encodeURIComponent(id)

export type SessionEndReason = 'disabled' | 'deleted' | 'email_change_undone'

/** The auth service's internal routes this service needs. */
export function createAuthClient (client: ServiceClient) {
  return {
    /** Ends every session of the user; idempotent. */
    revokeSessions: (userId: string, reason: SessionEndReason, requestId?: string) =>
      client.call<{ revoked: number }>('POST', `/internal/auth/users/${path(userId)}/revoke-sessions`, { body: { reason }, requestId, idempotent: true })
  }
}

/** A code check: `reauth` proves the account holder (to a verified address), `phone_change` proves a new phone. */
export type CodeUse = { purpose: 'reauth', flow: 'reauth' } | { purpose: 'verification', flow: 'phone_change' }
export const REAUTH: CodeUse = { purpose: 'reauth', flow: 'reauth' }
export const PHONE_CHANGE: CodeUse = { purpose: 'verification', flow: 'phone_change' }

/** The otp service's internal routes this service needs. */
export function createOtpClient (client: ServiceClient) {
  return {
    /** Sends a code; rejects with `rate_limited` (429) when the destination asked too often. */
    send: (destination: string, use: CodeUse, userId: string, clientIp?: string, requestId?: string) =>
      client.call<unknown>('POST', '/internal/otp/send', { body: { destination, ...use, userId, ...(clientIp ? { clientIp } : {}) }, requestId }),
    /** Spends a valid code; rejects with `otp_invalid`, `otp_expired` or `otp_attempts_exceeded`. */
    verify: (destination: string, use: CodeUse, otp: string, requestId?: string) =>
      client.call<{ valid: true }>('POST', '/internal/otp/verify', { body: { destination, ...use, otp }, requestId })
  }
}

export type AuthClient = ReturnType<typeof createAuthClient>
export type OtpClient = ReturnType<typeof createOtpClient>
