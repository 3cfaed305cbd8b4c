import type { Db, Queryable } from '@app/kit/db'

/** What this service reads of `order.created`. */
export interface OrderCreatedEvent {
  orderId: string
  userId: string
}

/** The per-user order count, kept from `order.created`; an order of an unknown user changes nothing. */
export function createOrderCounter (db: Db) {
  return {
    async countOrder (userId: string, q: Queryable): Promise<void> {
      await q.query('update users set orders_count = orders_count + 1 where id = $1', [userId])
    },

    /** The count, or undefined for an unknown user. */
    async countOf (userId: string): Promise<number | undefined> {
      const { rows } = await db.query<{ orders_count: number }>('select orders_count from users where id = $1', [userId])
      return rows[0]?.orders_count
    }
  }
}

export type OrderCounter = ReturnType<typeof createOrderCounter>
