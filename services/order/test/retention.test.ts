import { after, before, it } from 'node:test'
import assert from 'node:assert/strict'
import { randomUUID } from 'node:crypto'
import { openRetentionTestDb } from '@app/kit/testing'
import type { RetentionTestDb } from '@app/kit/testing'
import { orderService } from '../src/service.ts'

const NOW = new Date('2030-06-01T12:00:00.000Z')
const HOUR = 3_600_000
const ago = (ms: number) => new Date(NOW.getTime() - ms)

let t: RetentionTestDb
before(async () => { t = await openRetentionTestDb(orderService) })
after(() => t.cleanup())

it('forgets Idempotency-Keys a day after the order, keeps the orders and the newer keys', async () => {
  const user = randomUUID()
  const order = (key: string | null, createdAt: Date) => t.db.query(
    `insert into orders (id, user_id, currency, total, created_at, idempotency_key, request_hash)
      values ($1, $2, 'EUR', 100, $3, $4, $5)`, [randomUUID(), user, createdAt, key, key && `hash-${key}`])
  for (let i = 0; i < 5; i++) await order(`old-${i}`, ago(24 * HOUR + 1 + i))
  await order('boundary', ago(24 * HOUR))
  await order(null, ago(100 * HOUR))
  assert.deepEqual(await t.retain(NOW), { 'orders.idempotency_key': 5 })
  const { rows } = await t.db.query<{ idempotency_key: string | null, request_hash: string | null }>(
    'select idempotency_key, request_hash from orders where idempotency_key is not null or request_hash is not null')
  assert.deepEqual(rows, [{ idempotency_key: 'boundary', request_hash: 'hash-boundary' }])
  const { rows: [all] } = await t.db.query<{ n: number }>('select count(*)::int as n from orders')
  assert.equal(all!.n, 7)
  // A key forgotten can be used again: it names a new order.
  await order('old-0', NOW)
})
