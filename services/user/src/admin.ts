// Making an administrator outside the API: the start-up account (ADMIN_EMAIL) and `npm run admin -- create`.
import { v7 as uuidv7 } from 'uuid'
import { createEvent, enqueueEvent, runWithOutbox } from '@app/kit/bus'
import { ConfigError } from '@app/kit/config'
import type { Db, Tx } from '@app/kit/db'
import { isAppError } from '@app/kit/errors'
import type { EventEmitter } from '@app/kit/service'
import { assertPasswordAllowed } from '@app/password-policy'
import type { UserConfig } from './config.ts'
import { normalizeEmail } from './domain/contact.ts'
import { canonicalRoles } from './domain/roles.ts'
import type { User } from './domain/user.ts'
import { invalid } from './input.ts'
import { createPasswordHasher, hashParams } from './password-hasher.ts'
import type { PasswordHasher } from './password-hasher.ts'
import { emitUserRegistered, emitUserUpdated } from './user-events.ts'
import { createUserStore } from './user-store.pg.ts'
import type { UserStore } from './user-store.ts'

export interface EnsureAdminDeps {
  db: Db
  hasher: PasswordHasher
  events: EventEmitter
}

export interface AdminAccount {
  email: string
  /** Needed only when the account has to be created; checked against the password policy whenever given. */
  password?: string | undefined
}

export interface EnsuredAdmin {
  user: User
  /** The account did not exist and was created. */
  created: boolean
  /** The account existed and has just been given the admin role. */
  promoted: boolean
}

async function promote (store: UserStore, events: EventEmitter, id: string, tx: Tx): Promise<EnsuredAdmin> {
  const current = (await store.lockUser(id, tx))!
  if (current.roles.includes('admin')) return { user: current, created: false, promoted: false }
  const user = (await store.updateRoles(id, canonicalRoles([...current.roles, 'admin']), tx))!
  await emitUserUpdated(events, tx, user, ['roles'], { roles: user.roles, previousRoles: current.roles })
  return { user, created: false, promoted: true }
}

/** The account with its email normalised; `validation_failed` naming `/email` or `/password` when either is refused. */
export function checkAdminAccount (account: AdminAccount): AdminAccount {
  const email = normalizeEmail(account.email)
  if (!email) invalid([{ path: '/email', message: 'must be a valid email address' }])
  if (account.password !== undefined) assertPasswordAllowed(account.password, '/password', { email })
  return { email, password: account.password }
}

/**
 * Makes `email` an administrator, idempotently: creates the account with the
 * roles user and admin (email unverified), or adds the admin role to an
 * existing account and leaves its password alone. Throws `validation_failed`
 * naming `/email` or `/password`.
 */
export async function ensureAdmin ({ db, hasher, events }: EnsureAdminDeps, input: AdminAccount): Promise<EnsuredAdmin> {
  const account = checkAdminAccount(input)
  const email = account.email
  const store = createUserStore(db)
  const existing = await store.findUserByEmail(email)
  if (existing) return db.tx(tx => promote(store, events, existing.id, tx))
  if (account.password === undefined) invalid([{ path: '/password', message: 'is required to create the account' }])
  const passwordHash = await hasher.hash(account.password)
  try {
    return await db.tx(async (tx) => {
      const user = await store.insertUser({ id: uuidv7(), email, phone: null, name: null, passwordHash, roles: ['user', 'admin'] }, tx)
      await emitUserRegistered(events, tx, user)
      return { user, created: true, promoted: false }
    })
  } catch (err) {
    // Another instance starting at the same time created it first.
    if (!isAppError(err) || err.code !== 'conflict') throw err
    const raced = (await store.findUserByEmail(email))!
    return db.tx(tx => promote(store, events, raced.id, tx))
  }
}

/** ADMIN_EMAIL and ADMIN_PASSWORD: both or neither. */
export function configuredAdmin (config: Pick<UserConfig, 'ADMIN_EMAIL' | 'ADMIN_PASSWORD'>): AdminAccount | undefined {
  const { ADMIN_EMAIL: email, ADMIN_PASSWORD: password } = config
  if (!email && !password) return undefined
  if (!email || !password) {
    throw new ConfigError([`${email ? 'ADMIN_PASSWORD' : 'ADMIN_EMAIL'} is required when ${email ? 'ADMIN_EMAIL' : 'ADMIN_PASSWORD'} is set: set both or neither`])
  }
  return { email, password }
}

/** At start-up: ensures the configured admin account; a bad email or a refused password is a ConfigError. */
export async function ensureConfiguredAdmin (deps: EnsureAdminDeps, config: UserConfig, log: { info(obj: object, msg: string): void }): Promise<void> {
  const account = configuredAdmin(config)
  if (!account) return
  try {
    const { user, created, promoted } = await ensureAdmin(deps, account)
    log.info({ email: user.email, created, promoted }, created ? 'admin account created' : promoted ? 'admin role granted' : 'admin account present')
  } catch (err) {
    if (!isAppError(err) || err.code !== 'validation_failed') throw err
    throw new ConfigError((err.errors ?? []).map(e => `${e.path === '/email' ? 'ADMIN_EMAIL' : 'ADMIN_PASSWORD'} ${e.message}`))
  }
}

/** Events written straight to the outbox, for use outside a running service: the service publishes them once it runs. */
export function outboxEvents (): EventEmitter {
  return {
    async emit (tx, type, data, subject) {
      const event = createEvent('/services/user', type, data, subject)
      await enqueueEvent(tx, event)
      return event
    },
    async emitWith (q, statement, params, specs) {
      const events = specs.map(s => createEvent('/services/user', s.type, s.data, s.subject))
      const rows = await runWithOutbox(q, statement, params, events.map((event, i) => ({ event, options: specs[i]!.options })))
      return { rows: rows as never[], events }
    }
  }
}

/** What `ensureAdmin` needs, from the user service's database and configuration (the CLI). */
export function adminDeps (db: Db, config: UserConfig): EnsureAdminDeps {
  return { db, hasher: createPasswordHasher(hashParams(config)), events: outboxEvents() }
}
