import type { CloudEvent } from '@app/kit/bus'

// What the security messages need of each event (payloads: the issue 11 plan, and @app/contracts).
// The kit validates against the contract schemas; these checks keep a handler from acting on less.

export interface LoginSucceeded { userId: string, method?: string | undefined, newDevice: boolean, ip?: string | undefined, userAgent?: string | undefined }
export interface PasswordChanged { userId: string, reason: string | undefined }
export interface EmailChangeRequested { userId: string, previousEmail: string, newEmail: string, sealed: string, previousEmailVerified?: boolean | undefined }
export interface PhoneChanged { userId: string, phone: string | null, previousPhone: string | null, previousPhoneVerified?: boolean | undefined }
export interface UserDisabled { userId: string }
export interface UserDeleted {
  userId: string
  email: string | null
  phone: string | null
  emailVerified: boolean
  phoneVerified: boolean
  deletedBy: string | undefined
  locale?: string | undefined
}

type Data = Record<string, unknown>

const data = (event: CloudEvent): Data => (event.data !== null && typeof event.data === 'object' ? event.data as Data : {})
const text = (value: unknown): string | undefined => (typeof value === 'string' && value.length > 0 ? value : undefined)
const textOrNull = (value: unknown): string | null => text(value) ?? null
const flag = (value: unknown): boolean | undefined => (typeof value === 'boolean' ? value : undefined)

/** The user the event is about: `userId`, else the subject. */
const userOf = (event: CloudEvent, d: Data) => text(d.userId) ?? text(event.subject)

export function parseLogin (event: CloudEvent): LoginSucceeded | undefined {
  const d = data(event)
  const userId = userOf(event, d)
  return userId ? { userId, method: text(d.method), newDevice: d.newDevice === true, ip: text(d.ip), userAgent: text(d.userAgent) } : undefined
}

/** `auth.passkey_added` or `auth.passkey_removed`: whose, and the name the user gave it. */
export interface PasskeyChanged { userId: string, name: string | undefined }

export function parsePasskeyChanged (event: CloudEvent): PasskeyChanged | undefined {
  const d = data(event)
  const userId = userOf(event, d)
  return userId ? { userId, name: text(d.name) } : undefined
}

/** `auth.identity_linked`: whose account, and the identity provider (its id) that now signs in to it. */
export interface IdentityLinked { userId: string, provider: string | undefined }

export function parseIdentityLinked (event: CloudEvent): IdentityLinked | undefined {
  const d = data(event)
  const userId = userOf(event, d)
  return userId ? { userId, provider: text(d.provider) } : undefined
}

export function parsePasswordChanged (event: CloudEvent): PasswordChanged | undefined {
  const d = data(event)
  const userId = userOf(event, d)
  return userId ? { userId, reason: text(d.reason) } : undefined
}

export function parseEmailChangeRequested (event: CloudEvent): EmailChangeRequested | undefined {
  const d = data(event)
  const [userId, previousEmail, newEmail, sealed] = [userOf(event, d), text(d.previousEmail), text(d.newEmail), text(d.sealed)]
  if (!userId || !previousEmail || !newEmail || !sealed) return undefined
  return { userId, previousEmail, newEmail, sealed, previousEmailVerified: flag(d.previousEmailVerified) }
}

/** A `user.updated` that changed the phone number; undefined for any other. */
export function parsePhoneChanged (event: CloudEvent): PhoneChanged | undefined {
  const d = data(event)
  const userId = userOf(event, d)
  if (!userId || !Array.isArray(d.changes) || !d.changes.includes('phone')) return undefined
  return { userId, phone: textOrNull(d.phone), previousPhone: textOrNull(d.previousPhone), previousPhoneVerified: flag(d.previousPhoneVerified) }
}

export function parseUserDisabled (event: CloudEvent): UserDisabled | undefined {
  const userId = userOf(event, data(event))
  return userId ? { userId } : undefined
}

export function parseUserDeleted (event: CloudEvent): UserDeleted | undefined {
  const d = data(event)
  const userId = userOf(event, d)
  if (!userId) return undefined
  return {
    userId,
    email: textOrNull(d.email),
    phone: textOrNull(d.phone),
    emailVerified: d.emailVerified === true,
    phoneVerified: d.phoneVerified === true,
    deletedBy: text(d.deletedBy),
    locale: text(d.locale)
  }
}
