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
  findUserById(id: string, q?: Queryable): Promise<User | undefined>
  findUserWithSecretById(id: string, q?: Queryable): Promise<UserWithSecret | undefined>
  /** `select ... for update`: the row stays locked until the transaction ends. */
  lockUser(id: string, q: Queryable): Promise<User | undefined>
  findUserByEmail(email: string, q?: Queryable): Promise<UserWithSecret | undefined>
  findUserByPhone(phone: string, q?: Queryable): Promise<UserWithSecret | undefined>
  /** Newest first. */
  listUsers(query: UserListQuery, q?: Queryable): Promise<User[]>
  /** True when the user exists. */
  updatePasswordHash(id: string, passwordHash: string, q?: Queryable): Promise<boolean>
  /** Throws `conflict` (naming the field) like `insertUser`; undefined when the user does not exist. */
  updateProfile(id: string, fields: ProfileFields, q?: Queryable): Promise<User | undefined>
  updateRoles(id: string, roles: Role[], q?: Queryable): Promise<User | undefined>
  /** Marks the email verified only while it is still the user's email; the updated user, or undefined. */
  markEmailVerified(id: string, email: string, q?: Queryable): Promise<User | undefined>
  markPhoneVerified(id: string, phone: string, q?: Queryable): Promise<User | undefined>
}
