export type Role = 'user' | 'admin'

export interface User {
  id: string
  email: string | null
  phone: string | null
  name: string | null
  emailVerified: boolean
  phoneVerified: boolean
  roles: Role[]
  locale: string
  /** When an administrator disabled the account; null while it is enabled. */
  disabledAt: string | null
  /** A new email waiting for its verification link to be used; the current one stays in use until then. */
  pendingEmail: string | null
  /** A new phone waiting for its code; the current one stays in use until then. */
  pendingPhone: string | null
  createdAt: string
  updatedAt: string
}

export interface UserWithSecret extends User {
  passwordHash: string | null
}

/** What clients see: no secrets, no internal fields. */
export function publicUser (user: User) {
  return {
    id: user.id,
    email: user.email,
    phone: user.phone,
    name: user.name,
    emailVerified: user.emailVerified,
    phoneVerified: user.phoneVerified,
    roles: user.roles,
    locale: user.locale,
    disabled: user.disabledAt !== null,
    pendingEmail: user.pendingEmail,
    pendingPhone: user.pendingPhone,
    createdAt: user.createdAt,
    updatedAt: user.updatedAt
  }
}
