import type { ServiceClient } from '@app/kit/client'

export interface UserContact {
  id: string
  email: string | null
  phone: string | null
}

export interface Identifier {
  email?: string | undefined
  phone?: string | undefined
}

const path = (id: string) => encodeURIComponent(id)

/** The user service's internal routes this service needs. */
export function createUserClient (client: ServiceClient) {
  return {
    /** Rejects with `user_not_found` (404) for an unknown email or phone. */
    lookup: (identifier: Identifier, requestId?: string) =>
      client.call<UserContact>('GET', '/internal/users/lookup', { query: { email: identifier.email, phone: identifier.phone }, requestId }),
    get: (id: string, requestId?: string) => client.call<UserContact>('GET', `/internal/users/${path(id)}`, { requestId }),
    /** Rejects with `invalid_credentials` (401) for a wrong password. */
    verifyPassword: (identifier: Identifier, password: string, requestId?: string) =>
      client.call<UserContact>('POST', '/internal/users/verify-credentials', { body: { ...identifier, password }, requestId }),
    /** Rejects with `validation_failed` (policy) or `password_unchanged`. */
    setPassword: (id: string, password: string, requestId?: string) =>
      client.call<void>('PUT', `/internal/users/${path(id)}/password`, { body: { password }, requestId, idempotent: true })
  }
}

export function createAuthClient (client: ServiceClient) {
  return {
    revokeSessions: (userId: string, reason: string, exceptSessionId: string | null, requestId?: string) =>
      client.call<{ revoked: number }>('POST', `/internal/auth/users/${path(userId)}/revoke-sessions`, {
        body: { reason, ...(exceptSessionId ? { exceptSessionId } : {}) }, requestId, idempotent: true
      })
  }
}

export function createOtpClient (client: ServiceClient) {
  return {
    /** Sends a code; rejects with `rate_limited` (429) when the destination asked too often. */
    send: (destination: string, userId: string, requestId?: string) =>
      client.call<unknown>('POST', '/internal/otp/send', { body: { destination, purpose: 'password_reset', flow: 'password_reset', userId }, requestId }),
    /** Spends a valid code; rejects with `otp_invalid`, `otp_expired` or `otp_attempts_exceeded`. */
    verify: (destination: string, otp: string, requestId?: string) =>
      client.call<{ valid: true }>('POST', '/internal/otp/verify', { body: { destination, purpose: 'password_reset', flow: 'password_reset', otp }, requestId })
  }
}

export type UserClient = ReturnType<typeof createUserClient>
export type AuthClient = ReturnType<typeof createAuthClient>
export type OtpClient = ReturnType<typeof createOtpClient>
