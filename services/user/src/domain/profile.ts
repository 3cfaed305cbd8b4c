import type { User } from './user.ts'

export type ProfileField = 'name' | 'phone' | 'locale'

/** A normalised PATCH body: undefined leaves a field as it is, null removes it. */
export interface ProfilePatch {
  name?: string | null | undefined
  email?: string | undefined
  phone?: string | null | undefined
  locale?: string | undefined
}

/** What a PATCH asks of the email or the phone. A new address is only pending until verified. */
export type ContactIntent =
  | { kind: 'none' }
  | { kind: 'pend', value: string }
  | { kind: 'cancel_pending' }
  | { kind: 'remove' }

/** The fields that change at once; the email and phone only ever change here by removal. */
export interface ProfileUpdate {
  changes: ProfileField[]
  name: string | null
  email: string | null
  phone: string | null
  locale: string
  emailVerified: boolean
  phoneVerified: boolean
}

export interface ProfilePlan {
  update: ProfileUpdate
  email: ContactIntent
  phone: ContactIntent
  /** A change that could hand the account to someone else: it needs a recent password or code check. */
  sensitive: boolean
}

const NONE: ContactIntent = { kind: 'none' }

// Addresses differing only in case are one account (the unique index is on lower(email)), so such a "change" is none.
export const sameEmail = (a: string | null, b: string | null) => a !== null && b !== null && a.toLowerCase() === b.toLowerCase()

function emailIntent (current: User, email: string | undefined): ContactIntent {
  if (email === undefined) return NONE
  // Asking for the current address again withdraws a pending change.
  if (sameEmail(email, current.email)) return current.pendingEmail ? { kind: 'cancel_pending' } : NONE
  return { kind: 'pend', value: email }
}

function phoneIntent (current: User, phone: string | null | undefined): ContactIntent {
  if (phone === undefined) return NONE
  if (phone === null) return current.phone !== null ? { kind: 'remove' } : current.pendingPhone ? { kind: 'cancel_pending' } : NONE
  if (phone === current.phone) return current.pendingPhone ? { kind: 'cancel_pending' } : NONE
  return { kind: 'pend', value: phone }
}

/** The profile after the patch: name and locale change at once, a removed phone goes at once, new addresses wait. */
export function planProfilePatch (current: User, patch: ProfilePatch): ProfilePlan {
  const update: ProfileUpdate = {
    changes: [],
    name: current.name,
    email: current.email,
    phone: current.phone,
    locale: current.locale,
    emailVerified: current.emailVerified,
    phoneVerified: current.phoneVerified
  }
  if (patch.name !== undefined && patch.name !== current.name) {
    update.name = patch.name
    update.changes.push('name')
  }
  if (patch.locale !== undefined && patch.locale !== current.locale) {
    update.locale = patch.locale
    update.changes.push('locale')
  }
  const email = emailIntent(current, patch.email)
  const phone = phoneIntent(current, patch.phone)
  if (phone.kind === 'remove') {
    update.phone = null
    update.phoneVerified = false
    update.changes.push('phone')
  }
  const changesContact = (i: ContactIntent) => i.kind === 'pend' || i.kind === 'remove'
  return { update, email, phone, sensitive: changesContact(email) || changesContact(phone) }
}
