import { PermanentError } from '@app/kit/bus'
import type { ServiceContext } from '@app/kit/service'
import type { Queue } from '../deliveries/queue.ts'
import { queueFor } from '../messages.ts'
import type { Recipient } from '../recipients/choose-channels.ts'
import type { Contacts } from '../recipients/contacts.ts'
import { plainIp, summariseUserAgent } from './device.ts'
import { erasePersonalData } from './erase.ts'
import { parseEmailChangeRequested, parseIdentityLinked, parseLogin, parsePasskeyChanged, parsePasswordChanged, parsePhoneChanged, parseUserDeleted, parseUserDisabled } from './events.ts'
import { maskEmail, phoneEnd } from './mask.ts'
import { verifiedRecipients } from './recipients.ts'

export interface SecurityDeps {
  consume: ServiceContext<unknown>['consume']
  queue: Queue
  contacts: Contacts
  /** Opens sealed template secrets; throws when they were not sealed with a key this service holds. */
  openSealed: (sealed: string) => Record<string, string>
}

/** The undo link of an email change, checked now so a request that can never be sent is dead-lettered, not queued to die. */
function checkUndoLink (sealed: string, openSealed: SecurityDeps['openSealed']): void {
  let secrets: Record<string, string>
  try {
    secrets = openSealed(sealed)
  } catch (err) {
    throw new PermanentError('user.email_change_requested: its sealed undo link cannot be opened with the seal keys', { cause: err })
  }
  if (typeof secrets.undoLink !== 'string' || !/^https?:\/\//.test(secrets.undoLink)) {
    throw new PermanentError('user.email_change_requested: its sealed data holds no undo link')
  }
}

/**
 * Security messages: to every verified address of the user, whatever the
 * preferences (see recipients.ts), and never with a code or a token, except
 * the undo link of an email change, which goes to the old address only.
 * Each is queued in the consumer's transaction, keyed by event, tag and
 * channel, and sent by the delivery worker.
 */
export async function registerSecurityMessages ({ consume, queue, contacts, openSealed }: SecurityDeps): Promise<void> {
  // The key of this consumer's deliveries predates the tags: `<event id>:<channel>`.
  await consume({
    name: 'password-changed',
    bindings: ['password.changed'],
    prepare: async (event) => {
      const data = parsePasswordChanged(event)
      return data && { data, contact: await contacts.find(data.userId, { notBefore: new Date(event.time) }) }
    }
  }, async (event, tx, prepared) => {
    if (!prepared) throw new PermanentError('password.changed without a user')
    const { data, contact } = prepared
    if (!contact) return
    await queueFor(queue, event, verifiedRecipients(contact), {
      template: 'password_changed', userId: data.userId, locale: contact.locale, variables: { reason: data.reason }
    }, tx)
  })

  // A sign-in from a device the account has not used: the opt-in login alert (consumers.ts) leaves these to this one.
  await consume({
    name: 'new-device-login',
    bindings: ['auth.login_succeeded'],
    prepare: async (event) => {
      const login = parseLogin(event)
      if (!login?.newDevice) return undefined
      return { login, contact: await contacts.find(login.userId, { notBefore: new Date(event.time) }) }
    }
  }, async (event, tx, prepared) => {
    if (!prepared?.contact) return
    const { login, contact } = prepared
    const { browser, os } = summariseUserAgent(login.userAgent)
    await queueFor(queue, event, verifiedRecipients(contact), {
      template: 'new_device_login',
      userId: login.userId,
      locale: contact.locale,
      variables: { at: event.time, method: login.method, ip: plainIp(login.ip), browser, os }
    }, tx, 'new_device')
  })

  // The old address gets the undo link (still sealed: it is opened only to send); a verified phone hears of it without one.
  await consume({
    name: 'email-change-requested',
    bindings: ['user.email_change_requested'],
    prepare: async (event) => {
      const data = parseEmailChangeRequested(event)
      return data && { data, contact: await contacts.find(data.userId, { fresh: true }) }
    }
  }, async (event, tx, prepared) => {
    if (!prepared) throw new PermanentError('user.email_change_requested without a user, both addresses and the sealed undo link')
    const { data, contact } = prepared
    checkUndoLink(data.sealed, openSealed)
    const message = { template: 'email_change_requested', userId: data.userId, locale: contact?.locale, variables: { newEmail: maskEmail(data.newEmail) } }
    if (data.previousEmailVerified !== false) {
      await queueFor(queue, event, [{ channel: 'email', to: data.previousEmail }], { ...message, sealed: data.sealed }, tx, 'email_change')
    }
    if (contact?.phone && contact.phoneVerified) {
      await queueFor(queue, event, [{ channel: 'sms', to: contact.phone }], message, tx, 'email_change')
    }
  })

  // The old number (unless the event says it was never verified) and the verified email.
  await consume({
    name: 'phone-changed',
    bindings: ['user.updated'],
    prepare: async (event) => {
      const data = parsePhoneChanged(event)
      return data && { data, contact: await contacts.find(data.userId, { fresh: true }) }
    }
  }, async (event, tx, prepared) => {
    if (!prepared?.contact) return
    const { data, contact } = prepared
    const recipients: Recipient[] = verifiedRecipients({ ...contact, phone: null })
    if (data.previousPhone && data.previousPhoneVerified !== false) {
      recipients.push({ channel: 'sms', to: data.previousPhone })
    }
    await queueFor(queue, event, recipients, {
      template: 'phone_changed', userId: data.userId, locale: contact.locale, variables: { newPhoneEnd: phoneEnd(data.phone) }
    }, tx, 'phone_changed')
  })

  // A passkey signs in on its own: every verified address hears of one added or removed.
  await consume({
    name: 'passkey-changed',
    bindings: ['auth.passkey_added', 'auth.passkey_removed'],
    prepare: async (event) => {
      const data = parsePasskeyChanged(event)
      return data && { data, contact: await contacts.find(data.userId, { notBefore: new Date(event.time) }) }
    }
  }, async (event, tx, prepared) => {
    if (!prepared) throw new PermanentError(`${event.type} without a user`)
    const { data, contact } = prepared
    if (!contact) return
    const template = event.type === 'auth.passkey_added' ? 'passkey_added' : 'passkey_removed'
    await queueFor(queue, event, verifiedRecipients(contact), {
      template, userId: data.userId, locale: contact.locale, variables: data.name === undefined ? {} : { name: data.name }
    }, tx, template)
  })

  // An identity provider's account now signs in to this one (linked by its verified email): every verified address hears of it.
  await consume({
    name: 'identity-linked',
    bindings: ['auth.identity_linked'],
    prepare: async (event) => {
      const data = parseIdentityLinked(event)
      return data && { data, contact: await contacts.find(data.userId, { notBefore: new Date(event.time) }) }
    }
  }, async (event, tx, prepared) => {
    if (!prepared) throw new PermanentError(`${event.type} without a user`)
    const { data, contact } = prepared
    if (!contact) return
    await queueFor(queue, event, verifiedRecipients(contact), {
      template: 'identity_linked', userId: data.userId, locale: contact.locale, variables: data.provider === undefined ? {} : { provider: data.provider }
    }, tx, 'identity_linked')
  })

  await consume({
    name: 'account-disabled',
    bindings: ['user.disabled'],
    prepare: async (event) => {
      const data = parseUserDisabled(event)
      return data && { data, contact: await contacts.find(data.userId, { fresh: true }) }
    }
  }, async (event, tx, prepared) => {
    if (!prepared) throw new PermanentError('user.disabled without a user')
    const { data, contact } = prepared
    if (!contact) return
    await queueFor(queue, event, verifiedRecipients(contact), {
      template: 'account_disabled', userId: data.userId, locale: contact.locale, variables: {}
    }, tx, 'disabled')
  })

  // The user record is gone: the event carries the addresses. Erase first, then say goodbye
  // (its own delivery row, kept for the normal retention window).
  await consume({
    name: 'account-deleted',
    bindings: ['user.deleted'],
    prepare: async (event) => {
      const data = parseUserDeleted(event)
      if (data) await contacts.forget(data.userId)
      return data
    }
  }, async (event, tx, data) => {
    if (!data) throw new PermanentError('user.deleted without a user')
    await erasePersonalData(tx, data.userId, [data.email, data.phone].filter((a): a is string => a !== null))
    // A message being processed meanwhile may have cached the contact again.
    tx.onCommit(() => { contacts.forget(data.userId).catch(() => {}) })
    await queueFor(queue, event, verifiedRecipients(data), {
      template: 'account_deleted', userId: data.userId, locale: data.locale, variables: { deletedBy: data.deletedBy }
    }, tx, 'deleted')
  })
}
