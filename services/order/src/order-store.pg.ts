import type { Db } from '@app/kit/db'
import type { Order, OrderItem } from './domain/order.ts'
import { ANONYMOUS_USER_ID } from './order-store.ts'
import type { OrderStore } from './order-store.ts'

interface OrderRow {
  id: string
  user_id: string
  currency: string
  /** int8 arrives as a string. */
  total: string
  status: 'created'
  created_at: Date
  items: OrderItem[]
  request_hash: string | null
}

// The items come along as one JSON array per order, in the order they were sent.
const SELECT = `select o.id, o.user_id, o.currency, o.total, o.status, o.created_at, o.request_hash,
  (select json_agg(json_build_object('sku', i.sku, 'quantity', i.quantity, 'unitPrice', i.unit_price) order by i.position)
     from order_items i where i.order_id = o.id) as items
  from orders o`

function toOrder (row: OrderRow): Order {
  return {
    id: row.id,
    userId: row.user_id,
    items: row.items,
    total: Number(row.total),
    currency: row.currency,
    status: row.status,
    createdAt: row.created_at.toISOString()
  }
}

export function createOrderStore (db: Db): OrderStore {
  return {
    async insertOrder (order, q) {
      const inserted = await q.query(`insert into orders (id, user_id, currency, total, status, created_at, idempotency_key, request_hash)
        values ($1, $2, $3, $4, $5, $6, $7, $8)
        on conflict (user_id, idempotency_key) do nothing`,
      [order.id, order.userId, order.currency, order.total, order.status, order.createdAt, order.idempotencyKey ?? null, order.requestHash ?? null])
      if (inserted.rowCount === 0) return false
      await q.query(`insert into order_items (order_id, position, sku, quantity, unit_price)
        select $1, t.n - 1, t.sku, t.quantity, t.unit_price
        from unnest($2::text[], $3::integer[], $4::bigint[]) with ordinality as t(sku, quantity, unit_price, n)`,
      [order.id, order.items.map(i => i.sku), order.items.map(i => i.quantity), order.items.map(i => i.unitPrice)])
      return true
    },

    insertStatement (order) {
      return {
        statement: outbox => `with new_order as (
            insert into orders (id, user_id, currency, total, status, created_at) values ($1, $2, $3, $4, $5, $6) returning id),
          new_items as (insert into order_items (order_id, position, sku, quantity, unit_price)
            select new_order.id, t.n - 1, t.sku, t.quantity, t.unit_price
            from new_order, unnest($7::text[], $8::integer[], $9::bigint[]) with ordinality as t(sku, quantity, unit_price, n)),
          ${outbox}
          select id from new_order`,
        params: [order.id, order.userId, order.currency, order.total, order.status, order.createdAt,
          order.items.map(i => i.sku), order.items.map(i => i.quantity), order.items.map(i => i.unitPrice)]
      }
    },

    async findOrderById (id, q = db) {
      const { rows } = await q.query<OrderRow>(`${SELECT} where o.id = $1`, [id])
      return rows[0] && toOrder(rows[0])
    },

    async findOrderByKey (userId, key, q = db) {
      const { rows } = await q.query<OrderRow>(`${SELECT} where o.user_id = $1 and o.idempotency_key = $2`, [userId, key])
      return rows[0] && { order: toOrder(rows[0]), requestHash: rows[0].request_hash }
    },

    async listOrders ({ userId, before, limit }, q = db) {
      const older = before ? 'and o.id < $3::uuid' : ''
      const params = before ? [userId, limit, before] : [userId, limit]
      const { rows } = await q.query<OrderRow>(`${SELECT} where ($1::uuid is null or o.user_id = $1) ${older} order by o.id desc limit $2`, params)
      return rows.map(toOrder)
    },

    async anonymizeOrdersOf (userId, at, q) {
      const { rowCount } = await q.query(`update orders set user_id = $2, idempotency_key = null, request_hash = null, anonymized_at = $3
        where user_id = $1`, [userId, ANONYMOUS_USER_ID, at])
      return rowCount ?? 0
    }
  } satisfies OrderStore
}
