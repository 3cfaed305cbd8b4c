import type { ServiceClient } from '@app/kit/client'

export interface UserContact {
  id: string
  email: string | null
  emailVerified: boolean
  locale: string
}

const path = (id: string) => encodeURIComponent(id)

/** The user service's internal routes this service needs. */
export function createUserClient (client: ServiceClient) {
  return {
    /** Rejects with `user_not_found` (404) for an unknown email. */
    lookupByEmail: (email: string, requestId?: string) =>
      client.call<UserContact>('GET', '/internal/users/lookup', { query: { email }, requestId }),
    /** Rejects with `user_not_found` (404) when the user is gone or `email` is no longer theirs. */
    markEmailVerified: (id: string, email: string, requestId?: string) =>
      client.call<UserContact>('POST', `/internal/users/${path(id)}/email-verified`, { body: { email }, requestId, idempotent: true })
  }
}

export type UserClient = ReturnType<typeof createUserClient>
