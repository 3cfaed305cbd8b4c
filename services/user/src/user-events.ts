import type { Tx } from '@app/kit/db'
import type { EventEmitter } from '@app/kit/service'
import type { User } from './domain/user.ts'

export type UserChange = 'name' | 'email' | 'phone' | 'locale' | 'roles' | 'preferences'

export interface UserUpdatedExtra {
  /** True when the email address itself changed (it is then unverified, and a verification mail is due). */
  emailChanged?: boolean
  previousEmail?: string
  [key: string]: unknown
}

export function emitUserRegistered (events: EventEmitter, tx: Tx, user: User) {
  return events.emit(tx, 'user.registered', {
    userId: user.id, email: user.email, phone: user.phone, name: user.name, locale: user.locale
  }, user.id)
}

/** `user.updated` carries the user's contact details as they are after the change, never a secret. */
export function emitUserUpdated (events: EventEmitter, tx: Tx, user: User, changes: UserChange[], extra: UserUpdatedExtra = {}) {
  return events.emit(tx, 'user.updated', {
    userId: user.id,
    changes,
    email: user.email,
    phone: user.phone,
    name: user.name,
    locale: user.locale,
    emailChanged: false,
    ...extra
  }, user.id)
}
