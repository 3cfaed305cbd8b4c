import { randomBytes } from 'node:crypto'
import { before } from 'node:test'
import assert from 'node:assert/strict'
import { createEvent } from '@app/kit/bus'
import type { CloudEvent } from '@app/kit/bus'
import { callerHeadersFor, internalHeadersFor, startTestService, uniquePhone, waitFor } from '@app/kit/testing'
import { userService } from '@app/user'
import { uniqueEmail, useNotification } from './helper.ts'
import type { DeliveryRow } from './helper.ts'

/** Cheap argon2id parameters: the production cost is measured in bench/, not paid in every test. */
const CHEAP_HASHING = { USER_ARGON2_MEMORY_KIB: '1024', USER_ARGON2_TIME_COST: '1' }

/** Calls to the user service's internal routes. */
export const toUser = internalHeadersFor('user')

export interface TestUser { id: string, email: string | null, phone: string | null }

/** The user and notification services on one set of backends: preferences come from the real user service. */
export function usePreferenceStack () {
  let user: Awaited<ReturnType<typeof startTestService<typeof userService.configSchema>>>
  const userEvents: CloudEvent[] = []
  const n = useNotification({}, async (backends) => {
    user = await startTestService(userService, CHEAP_HASHING, backends)
    return { env: { USER_SERVICE_URL: user.url }, cleanup: () => user.cleanup() }
  })
  before(async () => {
    await n.backends.bus.bus.subscribe({ group: `user-events-${randomBytes(4).toString('hex')}`, bindings: ['user.*'] }, async (event) => { userEvents.push(event) })
  })

  /** True once the notification consumer has processed the event (it may have queued nothing). */
  const processed = async (consumer: string, event: CloudEvent) =>
    (await n.svc.ctx.db.query('select 1 from processed_events where consumer = $1 and event_id = $2', [`notification.${consumer}`, event.id])).rowCount > 0

  async function deliveriesOf (consumer: string, event: CloudEvent): Promise<DeliveryRow[]> {
    await waitFor(() => processed(consumer, event))
    return n.settled(event, 0)
  }

  const updatesOf = (userId: string) => userEvents.filter(e => e.type === 'user.updated' && e.subject === userId)

  return {
    n,
    get user () { return user },
    userEvents,
    processed,
    deliveriesOf,
    /** Registers a user; its email is verified unless told otherwise. */
    async register (options: { email?: boolean, phone?: boolean, verifyEmail?: boolean, name?: string } = {}): Promise<TestUser> {
      const body = {
        ...(options.email === false ? {} : { email: uniqueEmail('pref'), password: 'correct horse battery' }),
        ...(options.phone ? { phone: uniquePhone() } : {}),
        ...(options.name ? { name: options.name } : {})
      }
      const res = await user.app.inject({ method: 'POST', url: '/api/v1/users/register', payload: body })
      assert.equal(res.statusCode, 201, res.body)
      const created = res.json() as TestUser
      if (created.email && options.verifyEmail !== false) {
        const verified = await user.app.inject({ method: 'POST', url: `/internal/users/${created.id}/email-verified`, headers: toUser, payload: { email: created.email } })
        assert.equal(verified.statusCode, 200, verified.body)
      }
      return created
    },
    /** Saves preferences, and waits until their `user.updated` has dropped the notification service's cached copy. */
    async setPreferences (who: TestUser, preferences: object): Promise<void> {
      const before = updatesOf(who.id).length
      const res = await user.app.inject({ method: 'PUT', url: '/api/v1/users/me/preferences', headers: callerHeadersFor(who.id), payload: preferences })
      assert.equal(res.statusCode, 200, res.body)
      const update = await waitFor(() => updatesOf(who.id)[before])
      await waitFor(() => processed('contact-cache', update))
    },
    async order (who: TestUser, overrides: Record<string, unknown> = {}): Promise<CloudEvent> {
      const event = createEvent('/services/order', 'order.created', {
        orderId: `0${randomBytes(15).toString('hex').replace(/^(.{7})(.{4})(.{4})(.{4})/, '$1-$2-$3-$4-')}`,
        userId: who.id,
        items: [{ sku: 'BOOK-42', quantity: 2, unitPrice: 1250 }, { sku: 'PEN', quantity: 1, unitPrice: 199 }],
        total: 2699,
        currency: 'EUR',
        createdAt: new Date().toISOString(),
        ...overrides
      }, who.id)
      await n.publish(event)
      return event
    }
  }
}

/** Which channels got a message, sorted. */
export const channels = (rows: DeliveryRow[]) => rows.filter(r => r.status === 'sent').map(r => r.channel).sort()
