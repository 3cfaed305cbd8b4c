import type { FieldError } from '@app/kit/errors'
import type { User } from './user.ts'

export type Channel = 'email' | 'sms'

export interface Preferences {
  /** Master switches: a disabled channel is never used, whatever `events` says. */
  channels: Record<Channel, boolean>
  /** Per event type (`user.updated`), the channels to use for it. */
  events: Record<string, Channel[]>
}

type Contacts = Pick<User, 'email' | 'phone'>

/**
 * What applies now: the stored preferences (all channels on when none were
 * stored), with a channel off while the account has no address for it. So the
 * defaults are email on and sms on when the user has a phone, and a GET can
 * always be PUT back after a contact was removed.
 */
export function effectivePreferences (stored: Preferences | undefined, user: Contacts): Preferences {
  const channels = stored?.channels ?? { email: true, sms: true }
  return {
    channels: { email: channels.email && user.email !== null, sms: channels.sms && user.phone !== null },
    events: stored?.events ?? {}
  }
}

/** A channel can be enabled only when the account has an address for it. */
export function preferenceProblems (preferences: Pick<Preferences, 'channels'>, user: Contacts): FieldError[] {
  const problems: FieldError[] = []
  if (preferences.channels.email && user.email === null) {
    problems.push({ path: '/body/channels/email', message: 'cannot be enabled: the account has no email address' })
  }
  if (preferences.channels.sms && user.phone === null) {
    problems.push({ path: '/body/channels/sms', message: 'cannot be enabled: the account has no phone number' })
  }
  return problems
}
