import { randomBytes } from 'node:crypto'
import { after, before } from 'node:test'
import { DELIVERY_EXCHANGE, DELIVERY_REQUESTED, deliveryRoutingKey, sealSecrets } from '@app/contracts/delivery'
import type { DeliveryRequest } from '@app/contracts/delivery'
import type { Env } from '@app/kit/config'
import { createEvent } from '@app/kit/bus'
import type { CloudEvent } from '@app/kit/bus'
import { internalHeadersFor, openTestBackends, startTestService, testKeys, waitFor } from '@app/kit/testing'
import type { TestBackends } from '@app/kit/testing'
import { notificationService } from '../src/service.ts'

export type Running = Awaited<ReturnType<typeof startTestService<typeof notificationService.configSchema>>>

export const internal = internalHeadersFor('notification')

/** Retries within milliseconds, so retry and dead paths finish quickly. */
export const QUICK_RETRIES: Env = { NOTIFY_RETRY_BASE_MS: '20', NOTIFY_RETRY_MAX_MS: '200', NOTIFY_WORKER_POLL_MS: '50' }

/** Seals template secrets as the services that send codes and links do. */
export const seal = (values: Record<string, string>) => sealSecrets(values, testKeys().seal)

export const uniqueEmail = (tag = 'n') => `${tag}.${randomBytes(5).toString('hex')}@example.com`

export interface InboxItem { id: string, channel: string, to: string, subject: string | null, text: string, html: string | null }

export interface DeliveryRow {
  id: string
  status: string
  attempts: number
  channel: string
  recipient: string
  template: string
  locale: string
  last_error: string | null
  provider: string | null
  provider_message_id: string | null
  sealed: string | null
  variables: unknown
  event_id: string | null
  user_id: string | null
}

/**
 * The notification service of one test file (and optionally other services
 * started on the same backends by `extra`), plus every `notification.*`
 * event it emits.
 */
export function useNotification (overrides: Env | (() => Env) = {}, extra?: (backends: TestBackends) => Promise<{ env: Env, cleanup(): Promise<void> }>) {
  const state = { events: [] as CloudEvent[] } as { backends: TestBackends, svc: Running, events: CloudEvent[], extra?: { env: Env, cleanup(): Promise<void> } }
  before(async () => {
    state.backends = await openTestBackends()
    if (extra) state.extra = await extra(state.backends)
    state.svc = await startTestService(notificationService, { ...QUICK_RETRIES, ...state.extra?.env, ...(typeof overrides === 'function' ? overrides() : overrides) }, state.backends)
    await state.backends.bus.bus.subscribe({ group: `notification-test-${randomBytes(4).toString('hex')}`, bindings: ['notification.*'] }, async (event) => {
      state.events.push(event)
    })
  })
  after(async () => {
    await state.svc?.cleanup()
    await state.extra?.cleanup()
    await state.backends?.cleanup()
  })

  async function inbox (to: string): Promise<InboxItem[]> {
    return (await state.svc.app.inject({ method: 'GET', url: `/dev/inbox?to=${encodeURIComponent(to)}` })).json().items
  }

  async function deliveries (where: string, params: unknown[] = []): Promise<DeliveryRow[]> {
    const { rows } = await state.svc.ctx.db.query<DeliveryRow>(`select * from deliveries where ${where} order by id`, params)
    return rows
  }

  return {
    get svc () { return state.svc },
    get backends () { return state.backends },
    get events () { return state.events },
    inbox,
    deliveries,
    /** Publishes an event as its service's outbox relay would. */
    publish: (event: CloudEvent) => state.backends.bus.bus.publish(event),
    /** Asks for a message the way the otp, password and email-verification services do. */
    async request (request: Omit<DeliveryRequest, 'sealed' | 'variables'> & { variables?: Record<string, string>, secrets?: Record<string, string> }): Promise<CloudEvent> {
      const { secrets, ...rest } = request
      const data: DeliveryRequest = { variables: {}, ...rest, ...(secrets ? { sealed: seal(secrets) } : {}) }
      const event = createEvent('/services/otp', DELIVERY_REQUESTED, data, request.userId ?? undefined)
      await state.backends.bus.bus.publish(event, { exchange: DELIVERY_EXCHANGE, routingKey: deliveryRoutingKey(request.template) })
      return event
    },
    /** Waits until every delivery of the event is finished (sent or dead) and returns them. */
    async settled (event: CloudEvent, count = 1): Promise<DeliveryRow[]> {
      return waitFor(async () => {
        const rows = await deliveries('event_id = $1', [event.id])
        return rows.length >= count && rows.every(r => r.status === 'sent' || r.status === 'dead') && rows
      })
    }
  }
}
