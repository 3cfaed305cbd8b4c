import { describe, it } from 'node:test'
import assert from 'node:assert/strict'
import { createEvent } from '@app/kit/bus'
import { waitFor } from '@app/kit/testing'
import { newUserId, uniqueKey, useOrderService } from './helper.ts'
import type { OrderJson } from './helper.ts'

describe('a deleted user\'s orders (user.deleted)', () => {
  const orders = useOrderService()

  it('are kept for the accounts but no longer lead to the user', async () => {
    const userId = newUserId()
    const other = newUserId()
    const key = uniqueKey()
    const first = (await orders.create(userId, undefined, key)).json() as OrderJson
    const second = (await orders.create(userId)).json() as OrderJson
    const kept = (await orders.create(other)).json() as OrderJson

    const deleted = createEvent('/services/user', 'user.deleted', { userId, email: 'gone@example.com', phone: null, emailVerified: true, phoneVerified: false, deletedBy: 'self' }, userId)
    await orders.service.backends.bus.bus.publish(deleted)
    await waitFor(async () => (await orders.ordersOf(userId)) === 0)

    const admin = newUserId()
    for (const order of [first, second]) {
      const res = await orders.get(admin, order.id, true)
      assert.equal(res.statusCode, 200, res.body)
      const anonymised = res.json() as OrderJson
      assert.deepEqual({ ...anonymised, userId: 'x' }, { ...order, userId: 'x' }, 'amounts, items and dates stay')
      assert.equal(anonymised.userId, '00000000-0000-0000-0000-000000000000')
    }
    assert.deepEqual((await orders.list(userId)).json().items, [])
    const { rows } = await orders.service.ctx.db.query<{ n: number }>('select count(*)::int as n from orders where idempotency_key = $1', [key])
    assert.equal(rows[0]!.n, 0, 'the Idempotency-Key is forgotten')
    assert.equal((await orders.get(other, kept.id)).statusCode, 200, 'another user\'s order is untouched')

    // Delivered again: nothing changes, nothing is dead-lettered.
    await orders.service.backends.bus.bus.publish(deleted)
    const marker = createEvent('/services/user', 'user.deleted', { userId: newUserId(), email: null, phone: null, emailVerified: false, phoneVerified: false, deletedBy: 'admin' })
    await orders.service.backends.bus.bus.publish(marker)
    await waitFor(async () => (await orders.service.ctx.db.query('select 1 from processed_events where event_id = $1', [marker.id])).rows.length === 1)
    assert.deepEqual(await orders.service.backends.bus.bus.deadLetters('order.user-deleted'), [])
  })
})
