import type { Channel } from '../providers/provider.ts'
import type { Contact } from './contacts.ts'

export interface Recipient {
  channel: Channel
  to: string
}

const CHANNELS: Channel[] = ['email', 'sms']

/**
 * Where a user-facing (not security) message for `eventType` goes: the
 * channels the user chose for that event type (`preferences.events`), or
 * every channel when they chose nothing for it, unless the message is opt-in
 * (then none); a channel whose master switch is off is never used; and an
 * email address only once verified, so a mistyped or someone else's address
 * does not receive account or order details. Phone numbers are used as
 * stored: a number registered through phone signup was verified by its code.
 */
export function chooseRecipients (contact: Contact, eventType: string, options: { optIn?: boolean } = {}): Recipient[] {
  const { channels, events } = contact.preferences
  const wanted = events[eventType] ?? (options.optIn ? [] : CHANNELS)
  const recipients: Recipient[] = []
  for (const channel of CHANNELS) {
    if (!wanted.includes(channel) || !channels[channel]) continue
    const to = channel === 'email' ? (contact.emailVerified ? contact.email : null) : contact.phone
    if (to) recipients.push({ channel, to })
  }
  return recipients
}
