import type { ServiceClient } from '@app/kit/client'

export interface UserContact {
  id: string
  email: string | null
  emailVerified: boolean
  /** A new email waiting for its link to be used (then it becomes `email`). */
  pendingEmail: string | null
  locale: string
}

const path = (id: string) => encodeURIComponent(id)

/** The user service's internal routes this service needs. */
export function createUserClient (client: ServiceClient) {
  return {
    /** Rejects with `user_not_found` (404) for an unknown email. */
    lookupByEmail: (email: string, requestId?: string) =>
      client.call<UserContact>('GET', '/internal/users/lookup', { query: { email }, requestId }),
    /** Rejects with `user_not_found` (404) for an unknown id. */
    get: (id: string, requestId?: string) => client.call<UserContact>('GET', `/internal/users/${path(id)}`, { requestId }),
    /** Marks `email` verified, or makes it the email when it is the pending one; rejects with `user_not_found` (404) when the user is gone or `email` is neither. */
    markEmailVerified: (id: string, email: string, requestId?: string) =>
      client.call<UserContact>('POST', `/internal/users/${path(id)}/email-verified`, { body: { email }, requestId, idempotent: true })
  }
}

export type UserClient = ReturnType<typeof createUserClient>
