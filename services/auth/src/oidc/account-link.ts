import type { Db } from '@app/kit/db'
import { hasErrorCode } from '@app/kit/errors'
import type { EventEmitter } from '@app/kit/service'
import type { UserClient, UserSummary } from '../user-client.ts'
import type { ProviderIdentity } from './claims.ts'
import { OidcErrors } from './errors.ts'
import type { OidcStore } from './oidc-store.ts'
import type { OidcProvider } from './providers-config.ts'

export interface AccountLinkDeps {
  db: Db
  store: OidcStore
  /** `auth.identity_linked`, in the link's transaction. */
  events: EventEmitter
  users: Pick<UserClient, 'getUser' | 'findOrCreateByEmail'>
  /** The account with this email; rejects with `user_not_found`. */
  findByEmail: (email: string, requestId?: string) => Promise<UserSummary>
  now: () => Date
}

const accountUnverified = (provider: OidcProvider) =>
  OidcErrors.oidc_account_unverified(`An account with this email exists but has not confirmed the address yet: confirm it with the link we sent (or sign in with its password), then sign in with ${provider.name}`)

const unverified = (provider: OidcProvider) =>
  OidcErrors.oidc_email_unverified(`${provider.name} did not vouch for an email address of this account (email_verified was not true); sign in another way`)

/**
 * The user an identity signs in as. A linked provider account finds its user
 * whatever its email is now. Otherwise the email links it, and only when the
 * provider asserts `email_verified`: to the account that has that email, or
 * to a new one when the provider allows sign-up. An unverified email never
 * links or creates anything, so a provider that lets people claim any address
 * cannot hand out someone else's account. Nor is an account linked whose own
 * email was never confirmed: whoever registered it may not own the address
 * (an attacker's account, registered ahead with the victim's email, would
 * otherwise gain the victim's provider sign-in while keeping its password).
 * Linking an existing account emits `auth.identity_linked` (its owner is told);
 * an account the provider creates is announced by `user.registered` instead.
 */
export function createAccountLink ({ db, store, events, users, findByEmail, now }: AccountLinkDeps) {
  async function linkedUser (provider: OidcProvider, subject: string, requestId?: string): Promise<UserSummary | undefined> {
    const userId = await store.signInIdentity(provider.id, subject, now())
    if (!userId) return undefined
    try {
      return await users.getUser(userId, requestId)
    } catch (err) {
      if (!hasErrorCode(err, 'user_not_found')) throw err
      // The account was deleted and the erasure event is still on its way: the link is stale.
      await store.unlink(provider.id, subject)
      return undefined
    }
  }

  /** The confirmed account with this email, or undefined when none has it; refuses one that never confirmed it. */
  async function confirmedAccount (provider: OidcProvider, email: string, requestId?: string): Promise<UserSummary | undefined> {
    let existing: UserSummary
    try {
      existing = await findByEmail(email, requestId)
    } catch (err) {
      if (hasErrorCode(err, 'user_not_found', 'validation_failed')) return undefined
      throw err
    }
    if (!existing.emailVerified) throw accountUnverified(provider)
    return existing
  }

  return {
    async userFor (provider: OidcProvider, identity: ProviderIdentity, requestId?: string): Promise<UserSummary> {
      const linked = await linkedUser(provider, identity.subject, requestId)
      if (linked) return linked
      if (!identity.email || !identity.emailVerified) throw unverified(provider)
      const confirmed = await confirmedAccount(provider, identity.email, requestId)
      let account: { user: UserSummary, created: boolean, claimed?: boolean }
      try {
        account = await users.findOrCreateByEmail({ email: identity.email, name: identity.name, create: provider.allowSignup }, requestId)
      } catch (err) {
        if (hasErrorCode(err, 'user_not_found')) {
          throw OidcErrors.oidc_signup_disabled(`No account has this email, and ${provider.name} may not create one; sign up first, then sign in with ${provider.name}`)
        }
        // An address the user service refuses (too long, malformed) is no usable verified email.
        if (hasErrorCode(err, 'validation_failed')) throw unverified(provider)
        throw err
      }
      // The check above and findOrCreateByEmail (which marks the email verified) are two calls: an account registered
      // (or given this email) in between was never confirmed by whoever made it, so it is refused like one found
      // unconfirmed above. It is the account found now when the lookup found none or another one, or when the user
      // service says it has just verified (`claimed`) its email. Rarely that refuses an account a concurrent magic-link
      // or provider sign-up made; signing in again links it.
      if (!account.created && (account.claimed === true || confirmed?.id !== account.user.id)) throw accountUnverified(provider)
      const { userId, inserted } = await db.tx(async (tx) => {
        const link = await store.link({ provider: provider.id, subject: identity.subject, userId: account.user.id, email: identity.email ?? null }, now(), tx)
        // A sign-in method was added to an existing account: audited, and its owner told (the notification service).
        if (link.inserted && !account.created) await events.emit(tx, 'auth.identity_linked', { userId: link.userId, provider: provider.id }, link.userId)
        return link
      })
      // Another sign-in linked this provider account a moment ago: that link wins.
      return inserted || userId === account.user.id ? account.user : await users.getUser(userId, requestId)
    }
  }
}

export type AccountLink = ReturnType<typeof createAccountLink>
