import type { Db, Queryable } from '@app/kit/db'
import { uniqueViolation } from '@app/kit/db'
import type { Role, User, UserWithSecret } from './domain/user.ts'
import { KitErrors } from '@app/kit/errors'
import type { NewUser, UserStore } from './user-store.ts'

interface UserRow {
  id: string
  email: string | null
  phone: string | null
  name: string | null
  password_hash: string | null
  email_verified: boolean
  phone_verified: boolean
  roles: Role[]
  locale: string
  created_at: Date
  updated_at: Date
}

const COLUMNS = 'id, email, phone, name, password_hash, email_verified, phone_verified, roles, locale, created_at, updated_at'

function toUser (row: UserRow): UserWithSecret {
  return {
    id: row.id,
    email: row.email,
    phone: row.phone,
    name: row.name,
    passwordHash: row.password_hash,
    emailVerified: row.email_verified,
    phoneVerified: row.phone_verified,
    roles: row.roles,
    locale: row.locale,
    createdAt: row.created_at.toISOString(),
    updatedAt: row.updated_at.toISOString()
  }
}

function withoutSecret ({ passwordHash: _, ...user }: UserWithSecret): User {
  return user
}

export function createUserStore (db: Db): UserStore {
  const one = async (q: Queryable, sql: string, params: unknown[]) => {
    const { rows } = await q.query<UserRow>(sql, params)
    return rows[0] ? toUser(rows[0]) : undefined
  }
  return {
    async insertUser (user, q = db) {
      try {
        const row = await one(q, `insert into users (id, email, phone, name, password_hash)
          values ($1, $2, $3, $4, $5) returning ${COLUMNS}`, [user.id, user.email, user.phone, user.name, user.passwordHash])
        return withoutSecret(row!)
      } catch (err) {
        const constraint = uniqueViolation(err)
        if (constraint === 'users_email_key') throw KitErrors.conflict({ detail: 'email is already registered', errors: [{ path: '/body/email', message: 'is already registered' }], cause: err })
        if (constraint === 'users_phone_key') throw KitErrors.conflict({ detail: 'phone is already registered', errors: [{ path: '/body/phone', message: 'is already registered' }], cause: err })
        throw err
      }
    },
    async findUserById (id, q = db) {
      const user = await one(q, `select ${COLUMNS} from users where id = $1`, [id])
      return user && withoutSecret(user)
    },
    findUserByEmail: (email, q = db) => one(q, `select ${COLUMNS} from users where lower(email) = lower($1)`, [email]),
    findUserByPhone: (phone, q = db) => one(q, `select ${COLUMNS} from users where phone = $1`, [phone]),
    async updatePasswordHash (id, passwordHash, q = db) {
      const res = await q.query('update users set password_hash = $2, updated_at = now() where id = $1', [id, passwordHash])
      return res.rowCount === 1
    },
    async markEmailVerified (id, email, q = db) {
      const user = await one(q, `update users set email_verified = true, updated_at = now()
        where id = $1 and lower(email) = lower($2) returning ${COLUMNS}`, [id, email])
      return user && withoutSecret(user)
    },
    async markPhoneVerified (id, phone, q = db) {
      const user = await one(q, `update users set phone_verified = true, updated_at = now()
        where id = $1 and phone = $2 returning ${COLUMNS}`, [id, phone])
      return user && withoutSecret(user)
    }
  } satisfies UserStore
}
