import type { Queryable } from '@app/kit/db'
import type { User, UserWithSecret } from './domain/user.ts'

export interface NewUser {
  id: string
  email: string | null
  phone: string | null
  name: string | null
  passwordHash: string | null
}

/** Users in the service's own schema. Finders return `undefined` when absent. */
export interface UserStore {
  /** Throws `conflict` (naming the field) when the email (case-insensitively) or phone is used. */
  insertUser(user: NewUser, q?: Queryable): Promise<User>
  findUserById(id: string, q?: Queryable): Promise<User | undefined>
  findUserByEmail(email: string, q?: Queryable): Promise<UserWithSecret | undefined>
  findUserByPhone(phone: string, q?: Queryable): Promise<UserWithSecret | undefined>
  /** True when the user exists. */
  updatePasswordHash(id: string, passwordHash: string, q?: Queryable): Promise<boolean>
  /** Marks the email verified only while it is still the user's email; the updated user, or undefined. */
  markEmailVerified(id: string, email: string, q?: Queryable): Promise<User | undefined>
  markPhoneVerified(id: string, phone: string, q?: Queryable): Promise<User | undefined>
}
