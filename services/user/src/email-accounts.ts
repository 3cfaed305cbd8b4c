import { v7 as uuidv7 } from 'uuid'
import type { Db, Queryable } from '@app/kit/db'
import { hasErrorCode } from '@app/kit/errors'
import type { EventEmitter } from '@app/kit/service'
import type { User, UserWithSecret } from './domain/user.ts'
import { UserErrors } from './errors.ts'
import { normalizeContact } from './input.ts'
import type { UserStore } from './user-store.ts'

// The users.locale column's default: what an account made without a locale gets.
const NEW_ACCOUNT_LOCALE = 'en'

export interface EmailAccountRequest {
  email: string
  name?: string | undefined
  /** Create the account when no user has the email; otherwise `404 user_not_found`. */
  create: boolean
}

export interface EmailAccount {
  user: User
  created: boolean
  /**
   * The account's email was not verified until now: whoever registered it never proved the address, so the
   * person who just did takes the account over. Its password is cleared here; the caller ends its sessions.
   */
  claimed: boolean
}

const withoutPasswordHash = ({ passwordHash: _, ...user }: UserWithSecret): User => user

/**
 * Accounts of an email the caller has just proven (a magic link was used, an identity provider vouched for it):
 * found, or created without a password when allowed. Either way the email counts as verified.
 *
 * An existing account whose email was not verified is claimed (account pre-hijacking: someone may have
 * registered the address with a password of their own, waiting for its owner to sign in by link): its
 * password is cleared (the owner sets one with forgot-password) and `user.email_verified` says `claimed: true`,
 * on which auth ends the account's sessions, two-step login and passkeys.
 */
export function createEmailAccounts ({ db, store, events }: { db: Db, store: UserStore, events: EventEmitter }) {
  async function verified (found: UserWithSecret, email: string): Promise<{ user: User, claimed: boolean }> {
    if (found.emailVerified) return { user: withoutPasswordHash(found), claimed: false }
    return db.tx(async (tx) => {
      // Locked: of racing calls exactly one finds the email unverified and claims the account.
      const locked = await store.lockUser(found.id, tx)
      if (locked?.emailVerified && locked.email?.toLowerCase() === email.toLowerCase()) return { user: locked, claimed: false }
      const marked = await store.markEmailVerified(found.id, email, tx)
      // The address changed (or the account went) between the read and the update: the account no longer has it.
      if (!marked) throw UserErrors.user_not_found()
      await store.updatePasswordHash(marked.id, null, tx)
      const user = await dropClaimantContacts(marked, tx)
      await events.emit(tx, 'user.email_verified', { userId: user.id, email: user.email!, claimed: true }, user.id)
      return { user, claimed: true }
    })
  }

  /**
   * A phone on a claimed account, and any pending contact change, came from whoever registered it: a phone they
   * verified would still let them in by phone code or reset the password by code. The new owner adds their own.
   */
  async function dropClaimantContacts (user: User, tx: Queryable): Promise<User> {
    let current = user
    if (current.phone !== null) {
      current = await store.updateProfile(current.id, { name: current.name, email: current.email, phone: null, locale: current.locale, emailVerified: true, phoneVerified: false }, tx) ?? current
    }
    if (current.pendingEmail !== null) current = await store.setPendingEmail(current.id, null, tx) ?? current
    if (current.pendingPhone !== null) current = await store.setPendingPhone(current.id, null, tx) ?? current
    return current
  }

  async function insert (email: string, name: string | null): Promise<User> {
    const id = uuidv7()
    // `emailVerified` on user.registered tells the email-verification service to send no link.
    return store.insertVerifiedEmailUser({ id, email, name, locale: NEW_ACCOUNT_LOCALE }, async (statement, params) => (await events.emitWith(db, statement, params, [
      { type: 'user.registered', data: { userId: id, email, phone: null, name, locale: NEW_ACCOUNT_LOCALE, emailVerified: true }, subject: id },
      { type: 'user.email_verified', data: { userId: id, email }, subject: id }
    ])).rows)
  }

  return {
    /** Two racing calls for a new email get the same account, and only one of them `created`. */
    async findOrCreate (request: EmailAccountRequest): Promise<EmailAccount> {
      const email = normalizeContact({ email: request.email }).email!
      const found = await store.findUserByEmail(email)
      if (found) return { ...await verified(found, email), created: false }
      if (!request.create) throw UserErrors.user_not_found()
      try {
        return { user: await insert(email, request.name?.trim() || null), created: true, claimed: false }
      } catch (err) {
        if (!hasErrorCode(err, 'conflict')) throw err
        const winner = await store.findUserByEmail(email)
        if (!winner) throw err
        return { ...await verified(winner, email), created: false }
      }
    }
  }
}

export type EmailAccounts = ReturnType<typeof createEmailAccounts>
