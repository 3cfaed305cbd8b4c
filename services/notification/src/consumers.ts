import { DELIVERY_EXCHANGE, DELIVERY_REQUESTED, openSecrets } from '@app/contracts/delivery'
import type { DeliveryRequest, SealKeys } from '@app/contracts/delivery'
import { dataOf, PermanentError } from '@app/kit/bus'
import type { ServiceContext } from '@app/kit/service'
import { missingVariables } from './deliveries/compose.ts'
import type { Queue } from './deliveries/queue.ts'
import { queueFor } from './messages.ts'
import type { Channel } from './providers/provider.ts'
import { chooseRecipients } from './recipients/choose-channels.ts'
import type { Recipient } from './recipients/choose-channels.ts'
import type { Contacts } from './recipients/contacts.ts'
import { registerSecurityMessages } from './security/consumers.ts'
import type { Templates } from './templates/catalogue.ts'
import { parseOrderCreated } from './order-created.ts'

export interface ConsumerDeps {
  consume: ServiceContext<unknown>['consume']
  queue: Queue
  contacts: Contacts
  templates: Templates
  sealKeys: SealKeys
}

/** A new account's welcome: by email when there is an address, else by SMS. */
function emailElseSms (data: { email: string | null, phone: string | null }): Recipient[] {
  if (data.email) return [{ channel: 'email', to: data.email }]
  if (data.phone) return [{ channel: 'sms', to: data.phone }]
  return []
}

/**
 * What a profile-change message lists: not preferences; not a phone change (a security message
 * tells of that, security/consumers.ts); not a pending email or phone (nothing changed until it is
 * verified, and the old address hears of a pending email from the security message).
 */
const NOT_ANNOUNCED = new Set(['preferences', 'phone', 'pending_email', 'pending_phone'])
const announced = (changes: string[] | undefined) => (changes ?? []).filter(change => !NOT_ANNOUNCED.has(change))

/** A delivery request that can never become a message is dead-lettered at once, rather than queued to die later. */
function checkRequest (request: DeliveryRequest, templates: Templates, sealKeys: SealKeys): void {
  if (!templates.has(request.template)) throw new PermanentError(`unknown message template ${request.template}`)
  if (request.channel !== 'email' && request.channel !== 'sms') throw new PermanentError(`unknown channel ${String(request.channel)}`)
  let secrets: Record<string, string> = {}
  try {
    if (request.sealed) secrets = openSecrets(request.sealed, sealKeys)
  } catch (err) {
    throw new PermanentError('a delivery request\'s secrets cannot be opened with the keys of EVENT_SEAL_KEYS', { cause: err })
  }
  const missing = missingVariables(request.template, { ...request.variables, ...secrets }, request.channel)
  if (missing.length > 0) throw new PermanentError(`a ${request.template} request without ${missing.join(', ')}`)
}

/**
 * The bus subscriptions. Handlers only write queued rows in their
 * transaction; the user service is asked in `prepare`, before it, and
 * providers only by the delivery worker.
 */
export async function registerConsumers (deps: ConsumerDeps): Promise<void> {
  await registerRequestedConsumers(deps)
  await registerSecurityMessages({ ...deps, openSealed: sealed => openSecrets(sealed, deps.sealKeys) })
  await registerPreferenceConsumers(deps)
}

/** Messages that go where they were meant to, whatever the preferences. */
async function registerRequestedConsumers ({ consume, queue, contacts, templates, sealKeys }: ConsumerDeps): Promise<void> {
  // Codes, reset and verification links other services ask for: to the requested address.
  await consume({
    name: 'requested',
    exchange: DELIVERY_EXCHANGE,
    bindings: [`${DELIVERY_REQUESTED}.#`],
    types: [DELIVERY_REQUESTED],
    prepare: async (event) => {
      const request = dataOf(event, DELIVERY_REQUESTED)
      return request.locale ?? (request.userId ? await contacts.localeOf(request.userId) : undefined)
    }
  }, async (event, tx, locale) => {
    const request = dataOf(event, DELIVERY_REQUESTED)
    checkRequest(request, templates, sealKeys)
    await queueFor(queue, event, [{ channel: request.channel as Channel, to: request.to }], {
      template: request.template, userId: request.userId ?? null, locale, variables: request.variables ?? {}, sealed: request.sealed
    }, tx)
  })

  // A new account has no preferences yet: the welcome goes to the address it registered with.
  await consume({ name: 'welcome', bindings: ['user.registered'] }, async (event, tx) => {
    const user = dataOf(event, 'user.registered')
    const recipients = emailElseSms(user)
    if (recipients.length === 0) throw new PermanentError('user.registered without email or phone')
    await queueFor(queue, event, recipients, { template: 'welcome', userId: user.userId, locale: user.locale, variables: { name: user.name, emailVerified: user.emailVerified === true } }, tx)
  })
}

/** User-facing messages: on the channels the user's preferences allow. */
async function registerPreferenceConsumers ({ consume, queue, contacts }: ConsumerDeps): Promise<void> {
  // Addresses, their verification and preferences may have changed: the next message asks the user service again.
  await consume({
    name: 'contact-cache',
    bindings: ['user.updated', 'user.email_verified', 'user.phone_verified'],
    prepare: event => contacts.forget(event.data.userId)
  }, async () => {})

  await consume({
    name: 'profile-changed',
    bindings: ['user.updated'],
    prepare: async (event) => {
      const data = dataOf(event, 'user.updated')
      return announced(data.changes).length === 0 ? undefined : contacts.find(data.userId, { fresh: true })
    }
  }, async (event, tx, contact) => {
    const data = dataOf(event, 'user.updated')
    const changes = announced(data.changes)
    if (!contact || changes.length === 0) return
    await queueFor(queue, event, chooseRecipients(contact, event.type), {
      template: 'profile_changed', userId: data.userId, locale: contact.locale, variables: { changes, name: contact.name }
    }, tx)
  })

  // Off unless the user's preferences name channels for auth.login_succeeded. A sign-in
  // from a new device is a security message instead (security/consumers.ts), on every verified channel.
  await consume({
    name: 'login-alert',
    bindings: ['auth.login_succeeded'],
    prepare: async (event) => {
      const data = dataOf(event, 'auth.login_succeeded')
      return data.newDevice === true ? undefined : contacts.find(data.userId, { notBefore: new Date(event.time) })
    }
  }, async (event, tx, contact) => {
    const data = dataOf(event, 'auth.login_succeeded')
    if (!contact || data.newDevice === true) return
    await queueFor(queue, event, chooseRecipients(contact, event.type, { optIn: true }), {
      template: 'login_alert', userId: data.userId, locale: contact.locale, variables: { method: data.method, at: event.time }
    }, tx)
  })

  await consume({
    name: 'order-confirmation',
    bindings: ['order.created'],
    prepare: async (event) => {
      const order = parseOrderCreated(event)
      return order && { order, contact: await contacts.find(order.userId, { notBefore: new Date(event.time) }) }
    }
  }, async (event, tx, prepared) => {
    if (!prepared) throw new PermanentError('order.created without a user, items, total or currency')
    const { order, contact } = prepared
    if (!contact) return
    await queueFor(queue, event, chooseRecipients(contact, event.type), {
      template: 'order_confirmation', userId: order.userId, locale: contact.locale, variables: { ...order }
    }, tx)
  })
}
