import type { ServiceClient } from '@app/kit/client'

/** The parts of the user service's user that auth needs. */
export interface UserSummary {
  id: string
  roles: string[]
}

export interface CredentialsInput {
  email?: string | undefined
  phone?: string | undefined
  password: string
}

export function createUserClient (client: ServiceClient) {
  return {
    /** Resolves with the user; rejects with the user service's 401 `invalid_credentials` (same for unknown users). */
    verifyCredentials: (body: CredentialsInput, requestId?: string) =>
      client.call<UserSummary>('POST', '/internal/users/verify-credentials', { body, requestId }),
    getUser: (id: string, requestId?: string) =>
      client.call<UserSummary>('GET', `/internal/users/${encodeURIComponent(id)}`, { requestId })
  }
}

export type UserClient = ReturnType<typeof createUserClient>
