import type { Recipient } from '../recipients/choose-channels.ts'

export interface Addresses {
  email: string | null
  phone: string | null
  emailVerified: boolean
  phoneVerified: boolean
}

/**
 * Where a security message goes: every verified address, whatever the
 * preferences say (a user cannot opt out of hearing that their password
 * changed). An unverified address may be a typo or someone else's, so it
 * never learns of sign-ins or changes to the account.
 */
export function verifiedRecipients (a: Addresses): Recipient[] {
  const recipients: Recipient[] = []
  if (a.email && a.emailVerified) recipients.push({ channel: 'email', to: a.email })
  if (a.phone && a.phoneVerified) recipients.push({ channel: 'sms', to: a.phone })
  return recipients
}
