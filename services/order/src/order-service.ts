import { v7 as uuidv7 } from 'uuid'
import type { Db } from '@app/kit/db'
import { KitErrors } from '@app/kit/errors'
import type { FieldError } from '@app/kit/errors'
import type { EventEmitter } from '@app/kit/service'
import { decodeCursor, encodeCursor } from './domain/cursor.ts'
import { isCurrency, orderTotal, requestFingerprint } from './domain/order.ts'
import type { Order, OrderRequest } from './domain/order.ts'
import { OrderErrors } from './errors.ts'
import type { OrderStore } from './order-store.ts'

export const ORDER_CREATED = 'order.created'
export const DEFAULT_PAGE_SIZE = 20

/** Who asks: their own orders, or anyone's for an administrator. */
export interface Viewer {
  userId: string
  admin: boolean
}

export interface CreatedOrder {
  order: Order
  /** True when the idempotency key had already made this order: nothing new was created. */
  replayed: boolean
}

export interface OrderListInput {
  /** Whose orders; the viewer's own when undefined. */
  userId?: string | undefined
  /** Every user's orders (administrators only; not with `userId`). */
  all?: boolean | undefined
  limit?: number | undefined
  cursor?: string | undefined
}

export interface OrderPage {
  items: Order[]
  /** Pass it back as `cursor` for the next page; null on the last page. */
  nextCursor: string | null
}

export interface OrderServiceDeps {
  db: Db
  store: OrderStore
  events: EventEmitter
  now: () => Date
}

function invalid (error: FieldError): never {
  throw KitErrors.validation_failed({ detail: `${error.path.slice(1)} ${error.message}`, errors: [error] })
}

function keyReused () {
  return OrderErrors.idempotency_key_reused({
    detail: 'This Idempotency-Key was already used for an order with other items or another currency; use a new key for a new order',
    errors: [{ path: '/headers/idempotency-key', message: 'was already used for a different request' }]
  })
}

export function createOrderService ({ db, store, events, now }: OrderServiceDeps) {
  return {
    /**
     * Creates the order and writes `order.created` with it, atomically.
     * With an idempotency key the user already used, nothing is created: the
     * first order comes back when the request is the same, else 422.
     */
    async createOrder (userId: string, request: OrderRequest, idempotencyKey?: string): Promise<CreatedOrder> {
      if (!isCurrency(request.currency)) invalid({ path: '/body/currency', message: 'is not an ISO 4217 currency code' })
      const total = orderTotal(request.items)
      if (total === undefined) invalid({ path: '/body/items', message: `add up to more than ${Number.MAX_SAFE_INTEGER} minor units` })
      const requestHash = idempotencyKey === undefined ? undefined : requestFingerprint(request)
      const order: Order = {
        id: uuidv7(),
        userId,
        items: request.items.map(({ sku, quantity, unitPrice }) => ({ sku, quantity, unitPrice })),
        total,
        currency: request.currency,
        status: 'created',
        createdAt: now().toISOString()
      }
      const { id: orderId, items, currency, createdAt } = order
      const created = { type: ORDER_CREATED, data: { orderId, userId, items, total, currency, createdAt }, subject: userId } as const
      if (idempotencyKey === undefined) {
        // Nothing to clash with: the order, its items and its event in one statement.
        const { statement, params } = store.insertStatement(order)
        await events.emitWith(db, statement, params, [created])
        return { order, replayed: false }
      }
      return db.tx(async (tx) => {
        if (await store.insertOrder({ ...order, idempotencyKey, requestHash }, tx)) {
          await events.emit(tx, created.type, created.data, userId)
          return { order, replayed: false }
        }
        const earlier = await store.findOrderByKey(userId, idempotencyKey, tx)
        if (!earlier) throw new Error('an idempotency key clashed with an order that cannot be found')
        if (earlier.requestHash !== requestHash) throw keyReused()
        return { order: earlier.order, replayed: true }
      })
    },

    /** 404 for someone else's order too, so order ids reveal nothing. */
    async getOrder (viewer: Viewer, id: string): Promise<Order> {
      const order = await store.findOrderById(id)
      if (!order || (order.userId !== viewer.userId && !viewer.admin)) throw OrderErrors.order_not_found()
      return order
    },

    async listOrders (viewer: Viewer, { userId: asked, all = false, limit = DEFAULT_PAGE_SIZE, cursor }: OrderListInput): Promise<OrderPage> {
      if (all && asked !== undefined) invalid({ path: '/querystring/all', message: 'cannot be combined with userId' })
      if (all && !viewer.admin) throw KitErrors.forbidden('Only administrators can list every user\'s orders')
      const userId = all ? null : asked ?? viewer.userId
      if (userId !== null && userId !== viewer.userId && !viewer.admin) throw KitErrors.forbidden('Only administrators can list another user\'s orders')
      const before = cursor === undefined ? undefined : decodeCursor(cursor)
      if (cursor !== undefined && !before) invalid({ path: '/querystring/cursor', message: 'is not a cursor from a previous page' })
      // One row more than asked tells whether there is a next page without counting.
      const rows = await store.listOrders({ userId, before, limit: limit + 1 })
      const items = rows.slice(0, limit)
      const last = items.at(-1)
      return { items, nextCursor: rows.length > limit && last ? encodeCursor(last.id) : null }
    }
  }
}

export type OrderService = ReturnType<typeof createOrderService>
