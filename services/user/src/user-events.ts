import type { EventData } from '@app/contracts/events'
import type { Tx } from '@app/kit/db'
import type { EventEmitter } from '@app/kit/service'
import type { User } from './domain/user.ts'

/** `pending_email` / `pending_phone`: a new address waits for verification (the current one is unchanged). */
export type UserChange = 'name' | 'email' | 'phone' | 'locale' | 'roles' | 'preferences' | 'pending_email' | 'pending_phone'

type UserUpdated = EventData<'user.updated'>
export type UserUpdatedExtra = Omit<Partial<UserUpdated>, 'userId' | 'changes' | 'email' | 'phone' | 'name' | 'locale'>

export function emitUserRegistered (events: EventEmitter, tx: Tx, user: User) {
  return events.emit(tx, 'user.registered', {
    userId: user.id, email: user.email, phone: user.phone, name: user.name, locale: user.locale
  }, user.id)
}

/**
 * `user.updated` carries the user's contact details as they are after the change, never a secret.
 * `emailChanged` is true when the account's email itself changed (a verified new address taking effect,
 * or an undo putting the previous one back).
 */
export function emitUserUpdated (events: EventEmitter, tx: Tx, user: User, changes: UserChange[], extra: UserUpdatedExtra = {}) {
  const data: UserUpdated = {
    userId: user.id,
    changes,
    email: user.email,
    phone: user.phone,
    name: user.name,
    locale: user.locale,
    emailChanged: false,
    ...extra
  }
  return events.emit(tx, 'user.updated', data, user.id)
}

/** What `user.deleted` tells the services that erase the user's data: the addresses, so they can still be told. */
export function emitUserDeleted (events: EventEmitter, tx: Tx, user: User, deletedBy: 'self' | 'admin') {
  return events.emit(tx, 'user.deleted', {
    userId: user.id,
    email: user.email,
    phone: user.phone,
    emailVerified: user.emailVerified,
    phoneVerified: user.phoneVerified,
    deletedBy,
    locale: user.locale
  }, user.id)
}
