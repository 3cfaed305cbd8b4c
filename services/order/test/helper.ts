import { randomBytes, randomUUID } from 'node:crypto'
import { after, before } from 'node:test'
import { callerHeadersFor, openTestBackends, startTestService } from '@app/kit/testing'
import type { TestBackends } from '@app/kit/testing'
import type { CloudEvent } from '@app/kit/bus'
import { orderService } from '../src/service.ts'

type Running = Awaited<ReturnType<typeof startTestService<typeof orderService.configSchema>>>

export interface OrderJson {
  id: string
  userId: string
  items: Array<{ sku: string, quantity: number, unitPrice: number }>
  total: number
  currency: string
  status: string
  createdAt: string
}

export const newUserId = (): string => randomUUID()

export const uniqueKey = (): string => `key-${randomBytes(8).toString('hex')}`

/** A valid order body: two lines, 2 × 1999 + 1 × 500 = 4498 cents. */
export function orderBody (overrides: Record<string, unknown> = {}): Record<string, unknown> {
  return {
    items: [{ sku: 'TSHIRT-M-BLUE', quantity: 2, unitPrice: 1999 }, { sku: 'sticker_pack.v2', quantity: 1, unitPrice: 500 }],
    currency: 'EUR',
    ...overrides
  }
}

/** One order service per test file on its own backends; the `order.*` events it publishes are collected from the bus. */
export function useOrderService () {
  const state = { events: [] as CloudEvent[] } as { backends: TestBackends, service: Running, events: CloudEvent[] }
  before(async () => {
    state.backends = await openTestBackends()
    state.service = await startTestService(orderService, {}, state.backends)
    await state.backends.bus.bus.subscribe({ group: `order-test-${randomBytes(4).toString('hex')}`, bindings: ['order.*'] }, async (event) => {
      state.events.push(event)
    })
  })
  after(async () => {
    await state.service?.cleanup()
    await state.backends?.cleanup()
  })

  const headers = (userId: string | undefined, admin: boolean, key?: string): Record<string, string> => ({
    ...(userId ? callerHeadersFor(userId, admin ? ['user', 'admin'] : ['user']) : {}),
    ...(key === undefined ? {} : { 'idempotency-key': key })
  })

  return {
    get events () { return state.events },
    get service () { return state.service },
    /** POST /api/v1/orders as `userId` (anonymous when undefined). */
    create: (userId: string | undefined, body: object = orderBody(), key?: string) =>
      state.service.app.inject({ method: 'POST', url: '/api/v1/orders', payload: body, headers: headers(userId, false, key) }),
    get: (userId: string | undefined, id: string, admin = false) =>
      state.service.app.inject({ method: 'GET', url: `/api/v1/orders/${id}`, headers: headers(userId, admin) }),
    list: (userId: string | undefined, query: Record<string, string> = {}, admin = false) =>
      state.service.app.inject({ method: 'GET', url: `/api/v1/orders?${new URLSearchParams(query)}`, headers: headers(userId, admin) }),
    /** How many `order.created` rows the service wrote to its outbox for this order. */
    async outboxCount (orderId: string): Promise<number> {
      const { rows } = await state.service.ctx.db.query<{ n: number }>(
        "select count(*)::int as n from outbox where type = 'order.created' and event->'data'->>'orderId' = $1", [orderId])
      return rows[0]!.n
    },
    async ordersOf (userId: string): Promise<number> {
      const { rows } = await state.service.ctx.db.query<{ n: number }>('select count(*)::int as n from orders where user_id = $1', [userId])
      return rows[0]!.n
    }
  }
}
