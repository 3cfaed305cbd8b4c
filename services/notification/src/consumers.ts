import { DELIVERY_EXCHANGE, DELIVERY_REQUESTED, openSecrets } from '@app/contracts/delivery'
import type { DeliveryRequest } from '@app/contracts/delivery'
import { PermanentError } from '@app/kit/bus'
import type { CloudEvent } from '@app/kit/bus'
import type { Tx } from '@app/kit/db'
import type { ServiceContext } from '@app/kit/service'
import { missingVariables } from './deliveries/compose.ts'
import type { Queue } from './deliveries/queue.ts'
import type { Channel } from './providers/provider.ts'
import { chooseRecipients } from './recipients/choose-channels.ts'
import type { Recipient } from './recipients/choose-channels.ts'
import type { Contacts } from './recipients/contacts.ts'
import { DEFAULT_LOCALE } from './templates/catalogue.ts'
import type { Templates } from './templates/catalogue.ts'
import { parseOrderCreated } from './order-created.ts'

export interface ConsumerDeps {
  consume: ServiceContext<unknown>['consume']
  queue: Queue
  contacts: Contacts
  templates: Templates
  serviceSecret: string
}

interface Registered { userId: string, email: string | null, phone: string | null, name: string | null, locale?: string }
interface PasswordChanged { userId: string, reason: 'reset' | 'change', email: string | null, phone: string | null }
interface UserUpdated { userId: string, changes: string[] }
interface LoginSucceeded { userId: string, method?: string }

interface Message {
  template: string
  userId: string | null
  locale: string | undefined
  variables: Record<string, unknown>
  sealed?: string | undefined
}

/** Queues `message` for each recipient; keyed by event and channel, so each event gives at most one message per channel. */
async function queueFor (queue: Queue, event: CloudEvent, recipients: Recipient[], message: Message, tx: Tx): Promise<void> {
  for (const { channel, to } of recipients) {
    await queue({
      idempotencyKey: `${event.id}:${channel}`,
      eventId: event.id,
      eventType: event.type,
      userId: message.userId,
      channel,
      to,
      template: message.template,
      locale: message.locale ?? DEFAULT_LOCALE,
      variables: message.variables,
      sealed: message.sealed
    }, tx)
  }
}

/** The security-message rule: by email when there is an address, else by SMS. */
function emailElseSms (data: { email: string | null, phone: string | null }): Recipient[] {
  if (data.email) return [{ channel: 'email', to: data.email }]
  if (data.phone) return [{ channel: 'sms', to: data.phone }]
  return []
}

const onlyPreferences = (changes: string[] | undefined) => (changes ?? []).every(change => change === 'preferences')

/** A delivery request that can never become a message is dead-lettered at once, rather than queued to die later. */
function checkRequest (request: DeliveryRequest, templates: Templates, serviceSecret: string): void {
  if (!templates.has(request.template)) throw new PermanentError(`unknown message template ${request.template}`)
  if (request.channel !== 'email' && request.channel !== 'sms') throw new PermanentError(`unknown channel ${String(request.channel)}`)
  let secrets: Record<string, string> = {}
  try {
    if (request.sealed) secrets = openSecrets(request.sealed, serviceSecret)
  } catch (err) {
    throw new PermanentError('a delivery request\'s secrets cannot be opened with this SERVICE_SECRET', { cause: err })
  }
  const missing = missingVariables(request.template, { ...request.variables, ...secrets })
  if (missing.length > 0) throw new PermanentError(`a ${request.template} request without ${missing.join(', ')}`)
}

/**
 * The bus subscriptions. Handlers only write queued rows in their
 * transaction; the user service is asked in `prepare`, before it, and
 * providers only by the delivery worker.
 */
export async function registerConsumers (deps: ConsumerDeps): Promise<void> {
  await registerSecurityConsumers(deps)
  await registerPreferenceConsumers(deps)
}

/** Messages that go where they were meant to, whatever the preferences. */
async function registerSecurityConsumers ({ consume, queue, contacts, templates, serviceSecret }: ConsumerDeps): Promise<void> {
  // Codes, reset and verification links other services ask for: to the requested address.
  await consume({
    name: 'requested',
    exchange: DELIVERY_EXCHANGE,
    bindings: [`${DELIVERY_REQUESTED}.#`],
    prepare: async (event) => {
      const request = event.data as DeliveryRequest
      return request.locale ?? (request.userId ? await contacts.localeOf(request.userId) : undefined)
    }
  }, async (event, tx, locale) => {
    const request = event.data as DeliveryRequest
    checkRequest(request, templates, serviceSecret)
    await queueFor(queue, event, [{ channel: request.channel as Channel, to: request.to }], {
      template: request.template, userId: request.userId ?? null, locale, variables: request.variables ?? {}, sealed: request.sealed
    }, tx)
  })

  // A new account has no preferences yet: the welcome goes to the address it registered with.
  await consume({ name: 'welcome', bindings: ['user.registered'] }, async (event, tx) => {
    const user = event.data as Registered
    const recipients = emailElseSms(user)
    if (recipients.length === 0) throw new PermanentError('user.registered without email or phone')
    await queueFor(queue, event, recipients, { template: 'welcome', userId: user.userId, locale: user.locale, variables: { name: user.name } }, tx)
  })

  await consume({
    name: 'password-changed',
    bindings: ['password.changed'],
    prepare: event => contacts.localeOf((event.data as PasswordChanged).userId)
  }, async (event, tx, locale) => {
    const data = event.data as PasswordChanged
    const recipients = emailElseSms(data)
    if (recipients.length === 0) throw new PermanentError('password.changed without email or phone')
    await queueFor(queue, event, recipients, { template: 'password_changed', userId: data.userId, locale, variables: { reason: data.reason } }, tx)
  })
}

/** User-facing messages: on the channels the user's preferences allow. */
async function registerPreferenceConsumers ({ consume, queue, contacts }: ConsumerDeps): Promise<void> {
  // Addresses, their verification and preferences may have changed: the next message asks the user service again.
  await consume({
    name: 'contact-cache',
    bindings: ['user.updated', 'user.email_verified', 'user.phone_verified'],
    prepare: event => contacts.forget((event.data as { userId: string }).userId)
  }, async () => {})

  await consume({
    name: 'profile-changed',
    bindings: ['user.updated'],
    prepare: async (event) => {
      const data = event.data as UserUpdated
      return onlyPreferences(data.changes) ? undefined : contacts.find(data.userId, { fresh: true })
    }
  }, async (event, tx, contact) => {
    const data = event.data as UserUpdated
    if (!contact || onlyPreferences(data.changes)) return
    const changes = data.changes.filter(change => change !== 'preferences')
    await queueFor(queue, event, chooseRecipients(contact, event.type), {
      template: 'profile_changed', userId: data.userId, locale: contact.locale, variables: { changes, name: contact.name }
    }, tx)
  })

  // Off unless the user's preferences name channels for auth.login_succeeded.
  await consume({
    name: 'login-alert',
    bindings: ['auth.login_succeeded'],
    prepare: event => contacts.find((event.data as LoginSucceeded).userId, { notBefore: new Date(event.time) })
  }, async (event, tx, contact) => {
    const data = event.data as LoginSucceeded
    if (!contact) return
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
