import { v7 as uuidv7 } from 'uuid'
import type { Db } from '@app/kit/db'
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
}

const withoutPasswordHash = ({ passwordHash: _, ...user }: UserWithSecret): User => user

/**
 * Accounts of an email the caller has just proven (a magic link was used, an identity provider vouched for it):
 * found, or created without a password when allowed. Either way the email counts as verified.
 */
export function createEmailAccounts ({ db, store, events }: { db: Db, store: UserStore, events: EventEmitter }) {
  async function verified (found: UserWithSecret, email: string): Promise<User> {
    if (found.emailVerified) return withoutPasswordHash(found)
    return db.tx(async (tx) => {
      const user = await store.markEmailVerified(found.id, email, tx)
      // The address changed between the read and the update: the account no longer has it.
      if (!user) throw UserErrors.user_not_found()
      await events.emit(tx, 'user.email_verified', { userId: user.id, email: user.email! }, user.id)
      return user
    })
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
      if (found) return { user: await verified(found, email), created: false }
      if (!request.create) throw UserErrors.user_not_found()
      try {
        return { user: await insert(email, request.name?.trim() || null), created: true }
      } catch (err) {
        if (!hasErrorCode(err, 'conflict')) throw err
        const winner = await store.findUserByEmail(email)
        if (!winner) throw err
        return { user: await verified(winner, email), created: false }
      }
    }
  }
}

export type EmailAccounts = ReturnType<typeof createEmailAccounts>
