import type { Db, Queryable } from '@app/kit/db'
import { uniqueViolation } from '@app/kit/db'
import { KitErrors } from '@app/kit/errors'
import type { Role, User, UserWithSecret } from './domain/user.ts'
import { containsPattern } from './domain/user-search.ts'
import type { UserListQuery, UserStore } from './user-store.ts'

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
  disabled_at: Date | null
  pending_email: string | null
  pending_phone: string | null
  created_at: Date
  updated_at: Date
}

const COLUMNS = 'id, email, phone, name, password_hash, email_verified, phone_verified, roles, locale, disabled_at, pending_email, pending_phone, created_at, updated_at'

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
    disabledAt: row.disabled_at?.toISOString() ?? null,
    pendingEmail: row.pending_email,
    pendingPhone: row.pending_phone,
    createdAt: row.created_at.toISOString(),
    updatedAt: row.updated_at.toISOString()
  }
}

function withoutSecret ({ passwordHash: _, ...user }: UserWithSecret): User {
  return user
}

/** A taken email or phone as `409 conflict` naming the body field; anything else as it is. */
function contactConflict (err: unknown): unknown {
  const constraint = uniqueViolation(err)
  const field = constraint === 'users_email_key' ? 'email' : constraint === 'users_phone_key' ? 'phone' : undefined
  if (!field) return err
  return KitErrors.conflict({ detail: `${field} is already registered`, errors: [{ path: `/body/${field}`, message: 'is already registered' }], cause: err })
}

function listSql ({ search, before, limit }: UserListQuery): [string, unknown[]] {
  const params: unknown[] = []
  const where: string[] = []
  if (search) {
    params.push(containsPattern(search))
    const p = `$${params.length}`
    where.push(`(lower(email) like ${p} escape '\\' or phone like ${p} escape '\\' or lower(name) like ${p} escape '\\')`)
  }
  if (before) {
    params.push(before)
    where.push(`id < $${params.length}::uuid`)
  }
  params.push(limit)
  const filter = where.length > 0 ? `where ${where.join(' and ')}` : ''
  return [`select ${COLUMNS} from users ${filter} order by id desc limit $${params.length}`, params]
}

export function createUserStore (db: Db): UserStore {
  const one = async (q: Queryable, sql: string, params: unknown[]) => {
    const { rows } = await q.query<UserRow>(sql, params)
    return rows[0] ? toUser(rows[0]) : undefined
  }
  const publicOne = async (q: Queryable, sql: string, params: unknown[]) => {
    const user = await one(q, sql, params)
    return user && withoutSecret(user)
  }
  const contactChange = async (q: Queryable, sql: string, params: unknown[]) => {
    try {
      return await publicOne(q, sql, params)
    } catch (err) {
      throw contactConflict(err)
    }
  }
  return {
    async insertUser (user, q = db) {
      try {
        const row = await one(q, `insert into users (id, email, phone, name, password_hash, roles)
          values ($1, $2, $3, $4, $5, $6) returning ${COLUMNS}`, [user.id, user.email, user.phone, user.name, user.passwordHash, user.roles ?? ['user']])
        return withoutSecret(row!)
      } catch (err) {
        throw contactConflict(err)
      }
    },
    async insertVerifiedPhoneUser (user, write) {
      try {
        const rows = await write(outbox => `with ${outbox}
          insert into users (id, phone, phone_verified, locale, roles) values ($1, $2, true, $3, $4) returning ${COLUMNS}`, [user.id, user.phone, user.locale, ['user']])
        return withoutSecret(toUser(rows[0] as UserRow))
      } catch (err) {
        throw contactConflict(err)
      }
    },
    async insertVerifiedEmailUser (user, write) {
      try {
        const rows = await write(outbox => `with ${outbox}
          insert into users (id, email, email_verified, name, locale, roles) values ($1, $2, true, $3, $4, $5) returning ${COLUMNS}`, [user.id, user.email, user.name, user.locale, ['user']])
        return withoutSecret(toUser(rows[0] as UserRow))
      } catch (err) {
        throw contactConflict(err)
      }
    },
    findUserById: (id, q = db) => publicOne(q, `select ${COLUMNS} from users where id = $1`, [id]),
    async findUserWithOrderCount (id) {
      const { rows } = await db.query<UserRow & { orders_count: number }>(`select ${COLUMNS}, orders_count from users where id = $1`, [id])
      return rows[0] && { user: withoutSecret(toUser(rows[0])), ordersCount: rows[0].orders_count }
    },
    findUserWithSecretById: (id, q = db) => one(q, `select ${COLUMNS} from users where id = $1`, [id]),
    lockUser: (id, q) => publicOne(q, `select ${COLUMNS} from users where id = $1 for update`, [id]),
    findUserByEmail: (email, q = db) => one(q, `select ${COLUMNS} from users where lower(email) = lower($1)`, [email]),
    findUserByPhone: (phone, q = db) => one(q, `select ${COLUMNS} from users where phone = $1`, [phone]),
    async listUsers (query, q = db) {
      const [sql, params] = listSql(query)
      const { rows } = await q.query<UserRow>(sql, params)
      return rows.map(row => withoutSecret(toUser(row)))
    },
    async updatePasswordHash (id, passwordHash, q = db) {
      const res = await q.query('update users set password_hash = $2, updated_at = now() where id = $1', [id, passwordHash])
      return res.rowCount === 1
    },
    async updateProfile (id, fields, q = db) {
      try {
        return await publicOne(q, `update users set name = $2, email = $3, phone = $4, email_verified = $5, phone_verified = $6, locale = $7, updated_at = now()
          where id = $1 returning ${COLUMNS}`, [id, fields.name, fields.email, fields.phone, fields.emailVerified, fields.phoneVerified, fields.locale])
      } catch (err) {
        throw contactConflict(err)
      }
    },
    updateRoles: (id, roles, q = db) =>
      publicOne(q, `update users set roles = $2, updated_at = now() where id = $1 returning ${COLUMNS}`, [id, roles]),
    markEmailVerified: (id, email, q = db) => publicOne(q, `update users set email_verified = true, updated_at = now()
      where id = $1 and lower(email) = lower($2) returning ${COLUMNS}`, [id, email]),
    markPhoneVerified: (id, phone, q = db) => publicOne(q, `update users set phone_verified = true, updated_at = now()
      where id = $1 and phone = $2 returning ${COLUMNS}`, [id, phone]),
    setDisabled: (id, at, q = db) =>
      publicOne(q, `update users set disabled_at = $2, updated_at = now() where id = $1 returning ${COLUMNS}`, [id, at]),
    async deleteUser (id, q = db) {
      const res = await q.query('delete from users where id = $1', [id])
      return res.rowCount === 1
    },
    setPendingEmail: (id, email, q = db) =>
      publicOne(q, `update users set pending_email = $2, updated_at = now() where id = $1 returning ${COLUMNS}`, [id, email]),
    setPendingPhone: (id, phone, q = db) =>
      publicOne(q, `update users set pending_phone = $2, updated_at = now() where id = $1 returning ${COLUMNS}`, [id, phone]),
    promotePendingEmail: (id, email, q = db) => contactChange(q, `update users
      set email = pending_email, email_verified = true, pending_email = null, updated_at = now()
      where id = $1 and lower(pending_email) = lower($2) returning ${COLUMNS}`, [id, email]),
    promotePendingPhone: (id, phone, q = db) => contactChange(q, `update users
      set phone = pending_phone, phone_verified = true, pending_phone = null, updated_at = now()
      where id = $1 and pending_phone = $2 returning ${COLUMNS}`, [id, phone]),
    restoreEmail: (id, email, verified, q = db) => contactChange(q, `update users
      set email = $2, email_verified = $3, pending_email = null, updated_at = now()
      where id = $1 returning ${COLUMNS}`, [id, email, verified])
  } satisfies UserStore
}
