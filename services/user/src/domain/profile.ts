import type { User } from './user.ts'

export type ProfileField = 'name' | 'email' | 'phone' | 'locale'

/** A normalised PATCH body: undefined leaves a field as it is, null removes it. */
export interface ProfilePatch {
  name?: string | null | undefined
  email?: string | undefined
  phone?: string | null | undefined
  locale?: string | undefined
}

export interface ProfileUpdate {
  changes: ProfileField[]
  name: string | null
  email: string | null
  phone: string | null
  locale: string
  emailVerified: boolean
  phoneVerified: boolean
}

// Addresses differing only in case are one account (the unique index is on lower(email)), so such a "change" is none.
const sameEmail = (a: string | null, b: string | null) => a !== null && b !== null && a.toLowerCase() === b.toLowerCase()

/** The profile after the patch: a new email or phone is unverified; unchanged values keep their verification. */
export function applyProfilePatch (current: User, patch: ProfilePatch): ProfileUpdate {
  const next: ProfileUpdate = {
    changes: [],
    name: current.name,
    email: current.email,
    phone: current.phone,
    locale: current.locale,
    emailVerified: current.emailVerified,
    phoneVerified: current.phoneVerified
  }
  if (patch.name !== undefined && patch.name !== current.name) {
    next.name = patch.name
    next.changes.push('name')
  }
  if (patch.email !== undefined && !sameEmail(patch.email, current.email)) {
    next.email = patch.email
    next.emailVerified = false
    next.changes.push('email')
  }
  if (patch.phone !== undefined && patch.phone !== current.phone) {
    next.phone = patch.phone
    next.phoneVerified = false
    next.changes.push('phone')
  }
  if (patch.locale !== undefined && patch.locale !== current.locale) {
    next.locale = patch.locale
    next.changes.push('locale')
  }
  return next
}
