import { perTransaction } from '@app/kit/bus'
import type { Tx } from '@app/kit/db'

/** What this service reads of `order.created`. */
export interface OrderCreatedEvent {
  orderId: string
  userId: string
}

/**
 * The per-user order count, kept from `order.created` (the internal user lookup reads it); an order of an unknown user changes nothing.
 * The orders of a consumer's batch (one transaction) are counted in one update, grouped by user.
 */
export function createOrderCounter () {
  const count = perTransaction(async (userIds: string[], tx: Tx): Promise<void[]> => {
    await tx.query(`update users u set orders_count = u.orders_count + o.n
      from (select id, count(*)::int as n from unnest($1::uuid[]) as id group by id) as o
      where u.id = o.id`, [userIds])
    return userIds.map(() => undefined)
  })
  return {
    countOrder: (userId: string, tx: Tx): Promise<void> => count(tx, userId)
  }
}

export type OrderCounter = ReturnType<typeof createOrderCounter>
