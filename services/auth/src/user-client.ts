import type { ServiceClient } from '@app/kit/client'
import { hasErrorCode, KitErrors } from '@app/kit/errors'

/** The parts of the user service's user that auth needs. */
export interface UserSummary {
  id: string
  roles: string[]
  phone?: string | null
  phoneVerified?: boolean
  email?: string | null
  emailVerified?: boolean
  /** Set by an administrator: no session may start or go on. */
  disabled?: boolean
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
      client.call<UserSummary>('GET', `/internal/users/${encodeURIComponent(id)}`, { requestId }),
    /** Rejects with `user_not_found` (404). */
    findByEmail: (email: string, requestId?: string) =>
      client.call<UserSummary>('GET', '/internal/users/lookup', { query: { email }, requestId }),
    /** Rejects with `user_not_found` (404). */
    findByPhone: (phone: string, requestId?: string) =>
      client.call<UserSummary>('GET', '/internal/users/lookup', { query: { phone }, requestId }),
    /** The account of a number just proven with a code: found (its phone marked verified) or created verified. */
    phoneAccount: (phone: string, requestId?: string) =>
      client.call<UserSummary>('POST', '/internal/users/phone-accounts', { body: { phone }, requestId, idempotent: true }),
    /**
     * The account of an email the caller has just proven (magic link, identity provider), its email marked verified;
     * created without a password when `create` is true and none has it, else rejects with `user_not_found` (404).
     * `claimed`: the email was not verified until now, so the account was taken over (password cleared); its sessions must end.
     */
    findOrCreateByEmail: (body: { email: string, name?: string | undefined, create: boolean }, requestId?: string) =>
      client.call<{ user: UserSummary, created: boolean, claimed?: boolean }>('POST', '/internal/users/find-or-create-by-email', { body, requestId, idempotent: true })
  }
}

export type UserClient = ReturnType<typeof createUserClient>

/** The user behind a token or session; 401 when the account no longer exists. */
export async function existingUser (users: Pick<UserClient, 'getUser'>, id: string, requestId?: string): Promise<UserSummary> {
  try {
    return await users.getUser(id, requestId)
  } catch (err) {
    if (hasErrorCode(err, 'user_not_found')) throw KitErrors.unauthorized('The account no longer exists')
    throw err
  }
}
