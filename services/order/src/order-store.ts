import type { Queryable } from '@app/kit/db'
import type { Order } from './domain/order.ts'

export interface NewOrder extends Order {
  /** The client's Idempotency-Key, unique per user; undefined when none was sent. */
  idempotencyKey?: string | undefined
  /** Fingerprint of the request that used the key. */
  requestHash?: string | undefined
}

export interface OrderListQuery {
  /** Whose orders; null: everyone's (an administrator's listing). */
  userId: string | null
  /** Only orders with a smaller id (older ones: ids are UUIDv7). */
  before?: string | undefined
  limit: number
}

/** Orders with their items in the service's own schema. Finders return `undefined` when absent. */
export interface OrderStore {
  /**
   * Inserts the order and its items. Returns false, inserting nothing, when
   * the user already has an order with this idempotency key; a concurrent
   * insert with the same key waits for the other transaction to end first.
   */
  insertOrder(order: NewOrder, q: Queryable): Promise<boolean>
  /**
   * An order without an idempotency key (it cannot clash) and its items as one
   * statement for `emitWith`: the order and its event commit together in one round trip.
   */
  insertStatement(order: Order): { statement: (outboxCte: string) => string, params: unknown[] }
  findOrderById(id: string, q?: Queryable): Promise<Order | undefined>
  /** The user's order made with this idempotency key, and the fingerprint of its request. */
  findOrderByKey(userId: string, key: string, q?: Queryable): Promise<{ order: Order, requestHash: string | null } | undefined>
  /** Newest first. */
  listOrders(query: OrderListQuery, q?: Queryable): Promise<Order[]>
  /** Detaches every order of the user from them (see ANONYMOUS_USER_ID); returns how many. */
  anonymizeOrdersOf(userId: string, at: Date, q: Queryable): Promise<number>
}

/** Whose orders belonged to a deleted user: the nil UUID, which no account has. */
export const ANONYMOUS_USER_ID = '00000000-0000-0000-0000-000000000000'
