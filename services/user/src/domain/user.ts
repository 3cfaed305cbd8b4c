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
    createdAt: user.createdAt,
    updatedAt: user.updatedAt
  }
}
