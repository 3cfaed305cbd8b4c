import type { Queryable } from '@app/kit/db'
import type { Role, User, UserWithSecret } from './domain/user.ts'

export interface NewUser {
  id: string
  email: string | null
  phone: string | null
  name: string | null
  passwordHash: string | null
  /** Default `['user']`. */
  roles?: Role[]
}

export interface ProfileFields {
  name: string | null
  email: string | null
  phone: string | null
  locale: string
  emailVerified: boolean
  phoneVerified: boolean
}

export interface UserListQuery {
  /** Matched case-insensitively anywhere in the email, phone or name; taken literally (no wildcards). */
  search?: string | undefined
  /** Only users with a smaller id (older ones: ids are UUIDv7). */
  before?: string | undefined
  limit: number
}

/** Users in the service's own schema. Finders return `undefined` when absent. */
export interface UserStore {
  /** Throws `conflict` (naming the field) when the email (case-insensitively) or phone is used. */
  insertUser(user: NewUser, q?: Queryable): Promise<User>
  /**
   * A phone-only account whose number was just proven with a code (verified from the start), written
   * by `write` (the service's `emitWith`, which adds its events to the same statement). Throws
   * `conflict` like `insertUser` when the number is taken.
   */
  insertVerifiedPhoneUser(user: { id: string, phone: string, locale: string }, write: (statement: (outboxCte: string) => string, params: unknown[]) => Promise<unknown[]>): Promise<User>
  /**
   * An account without a password whose email was just proven (a magic link, an identity provider): verified
   * from the start, written by `write` like `insertVerifiedPhoneUser`. Throws `conflict` when the email is taken.
   */
  insertVerifiedEmailUser(user: { id: string, email: string, name: string | null, locale: string }, write: (statement: (outboxCte: string) => string, params: unknown[]) => Promise<unknown[]>): Promise<User>
  findUserById(id: string, q?: Queryable): Promise<User | undefined>
  /** The user with the number of orders they placed, in one read (the internal lookup other services make per request). */
  findUserWithOrderCount(id: string): Promise<{ user: User, ordersCount: number } | undefined>
  findUserWithSecretById(id: string, q?: Queryable): Promise<UserWithSecret | undefined>
  /** `select ... for update`: the row stays locked until the transaction ends. */
  lockUser(id: string, q: Queryable): Promise<User | undefined>
  findUserByEmail(email: string, q?: Queryable): Promise<UserWithSecret | undefined>
  findUserByPhone(phone: string, q?: Queryable): Promise<UserWithSecret | undefined>
  /** Newest first. */
  listUsers(query: UserListQuery, q?: Queryable): Promise<User[]>
  /** True when the user exists; null removes the password. */
  updatePasswordHash(id: string, passwordHash: string | null, q?: Queryable): Promise<boolean>
  /** Throws `conflict` (naming the field) like `insertUser`; undefined when the user does not exist. */
  updateProfile(id: string, fields: ProfileFields, q?: Queryable): Promise<User | undefined>
  updateRoles(id: string, roles: Role[], q?: Queryable): Promise<User | undefined>
  /** Marks the email verified only while it is still the user's email; the updated user, or undefined. */
  markEmailVerified(id: string, email: string, q?: Queryable): Promise<User | undefined>
  markPhoneVerified(id: string, phone: string, q?: Queryable): Promise<User | undefined>
  /** `at` disables the account, null enables it; undefined when the user does not exist. */
  setDisabled(id: string, at: Date | null, q?: Queryable): Promise<User | undefined>
  /** Removes the row and, by cascade, everything of the user this service keeps; true when it existed. */
  deleteUser(id: string, q?: Queryable): Promise<boolean>
  /** Records (or with null, drops) an email change waiting for verification. */
  setPendingEmail(id: string, email: string | null, q?: Queryable): Promise<User | undefined>
  setPendingPhone(id: string, phone: string | null, q?: Queryable): Promise<User | undefined>
  /**
   * Makes the pending email the account's email, verified, when it still is `email` (case-insensitively);
   * undefined otherwise. Throws `conflict` when another account took the address meanwhile.
   */
  promotePendingEmail(id: string, email: string, q?: Queryable): Promise<User | undefined>
  /** As `promotePendingEmail`, for the phone. */
  promotePendingPhone(id: string, phone: string, q?: Queryable): Promise<User | undefined>
  /** Puts an earlier email back (with its verification) and drops any pending one; throws `conflict` when it is taken. */
  restoreEmail(id: string, email: string, verified: boolean, q?: Queryable): Promise<User | undefined>
}
