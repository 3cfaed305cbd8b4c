import { v7 as uuidv7 } from 'uuid'
import type { Db } from '@app/kit/db'
import { hasErrorCode } from '@app/kit/errors'
import type { EventEmitter } from '@app/kit/service'
import { assertPasswordAllowed } from '@app/password-policy'
import { normalizeEmail, normalizePhone } from './domain/contact.ts'
import type { User } from './domain/user.ts'
import { UserErrors } from './errors.ts'
import { invalid, normalizeContact } from './input.ts'
import type { PasswordHasher } from './password-hasher.ts'
import { emitUserRegistered } from './user-events.ts'
import type { UserStore } from './user-store.ts'

export interface Registration {
  email?: string | undefined
  phone?: string | undefined
  password?: string | undefined
  name?: string | undefined
}

export interface Credentials {
  email?: string | undefined
  phone?: string | undefined
  password: string
}

export interface UserServiceDeps {
  db: Db
  store: UserStore
  hasher: PasswordHasher
  events: EventEmitter
}

// The users.locale column's default: what an account made without a locale gets.
const NEW_ACCOUNT_LOCALE = 'en'

const withoutPasswordHash = ({ passwordHash: _, ...user }: User & { passwordHash?: unknown }): User => user

export function createUserService ({ db, store, hasher, events }: UserServiceDeps) {
  async function markPhoneVerified (id: string, rawPhone: string): Promise<User> {
    const { phone } = normalizeContact({ phone: rawPhone })
    return db.tx(async (tx) => {
      const user = await store.markPhoneVerified(id, phone!, tx)
      if (!user) throw UserErrors.user_not_found('No user with this id and phone')
      await events.emit(tx, 'user.phone_verified', { userId: user.id, phone: phone! }, user.id)
      return user
    })
  }

  return {
    async register (input: Registration): Promise<User> {
      const { email, phone } = normalizeContact(input)
      if (!email && !phone) invalid([{ path: '/body/email', message: 'or phone is required' }])
      if (email && input.password === undefined) invalid([{ path: '/body/password', message: 'is required when registering with an email' }])
      if (input.password !== undefined) assertPasswordAllowed(input.password, '/body/password', { email, phone })
      const name = input.name?.trim() || null
      // Hash before the transaction: it is the slow part, and a taken email costs the same as a free one.
      const passwordHash = input.password === undefined ? null : await hasher.hash(input.password)
      return db.tx(async (tx) => {
        const user = await store.insertUser({ id: uuidv7(), email: email ?? null, phone: phone ?? null, name, passwordHash }, tx)
        await emitUserRegistered(events, tx, user)
        return user
      })
    },

    /** The same work and the same answer for an unknown user as for a wrong password. */
    async verifyCredentials (input: Credentials): Promise<User> {
      const email = input.email === undefined ? undefined : normalizeEmail(input.email)
      const phone = input.phone === undefined ? undefined : normalizePhone(input.phone)
      const found = email ? await store.findUserByEmail(email) : phone ? await store.findUserByPhone(phone) : undefined
      const ok = await hasher.verify(found?.passwordHash, input.password)
      // A disabled account's credentials still check out: the answer carries `disabled`, and auth refuses it.
      if (!found || !ok) throw UserErrors.invalid_credentials()
      const { passwordHash: _, ...user } = found
      return user
    },

    async setPassword (id: string, password: string): Promise<void> {
      const user = await store.findUserWithSecretById(id)
      if (!user) throw UserErrors.user_not_found()
      assertPasswordAllowed(password, '/body/password', user)
      if (user.passwordHash && await hasher.verify(user.passwordHash, password)) throw UserErrors.password_unchanged()
      const passwordHash = await hasher.hash(password)
      if (!await store.updatePasswordHash(id, passwordHash)) throw UserErrors.user_not_found()
    },

    async getUser (id: string): Promise<User> {
      const user = await store.findUserById(id)
      if (!user) throw UserErrors.user_not_found()
      return user
    },

    async getUserWithOrderCount (id: string): Promise<{ user: User, ordersCount: number }> {
      const found = await store.findUserWithOrderCount(id)
      if (!found) throw UserErrors.user_not_found()
      return found
    },

    async findUser (input: { email?: string | undefined, phone?: string | undefined }): Promise<User> {
      const { email, phone } = normalizeContact(input, 'querystring')
      const found = email ? await store.findUserByEmail(email) : phone ? await store.findUserByPhone(phone) : undefined
      if (!found) throw UserErrors.user_not_found()
      const { passwordHash: _, ...user } = found
      return user
    },

    /**
     * The account of a number that just proved itself with a code (phone sign-up): created, verified,
     * when new (`user.registered` and `user.phone_verified` in the insert's statement); an existing
     * account's phone marked verified. Two racing calls for a new number get the same account.
     */
    async phoneAccount (rawPhone: string): Promise<User> {
      const { phone } = normalizeContact({ phone: rawPhone })
      const found = await store.findUserByPhone(phone!)
      if (found) return found.phoneVerified ? withoutPasswordHash(found) : markPhoneVerified(found.id, phone!)
      const id = uuidv7()
      try {
        return await store.insertVerifiedPhoneUser({ id, phone: phone!, locale: NEW_ACCOUNT_LOCALE }, async (statement, params) => (await events.emitWith(db, statement, params, [
          { type: 'user.registered', data: { userId: id, email: null, phone: phone!, name: null, locale: NEW_ACCOUNT_LOCALE }, subject: id },
          { type: 'user.phone_verified', data: { userId: id, phone: phone! }, subject: id }
        ])).rows)
      } catch (err) {
        if (!hasErrorCode(err, 'conflict')) throw err
        const winner = await store.findUserByPhone(phone!)
        if (!winner) throw err
        return winner.phoneVerified ? withoutPasswordHash(winner) : markPhoneVerified(winner.id, phone!)
      }
    },

    markPhoneVerified
  }
}

export type UserService = ReturnType<typeof createUserService>
