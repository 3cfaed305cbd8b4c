import { describe, it } from 'node:test'
import assert from 'node:assert/strict'
import { waitFor } from '@app/kit/testing'
import { newUserId, orderBody, uniqueKey, useOrderService } from './helper.ts'
import type { OrderJson } from './helper.ts'

describe('Idempotency-Key on POST /api/v1/orders', () => {
  const svc = useOrderService()
  const createdEvents = (orderId: string) =>
    svc.events.filter(e => e.type === 'order.created' && (e.data as { orderId: string }).orderId === orderId)

  it('answers a retry with the first order, marked Idempotent-Replayed, and emits order.created once', async () => {
    const userId = newUserId()
    const key = uniqueKey()
    const first = await svc.create(userId, orderBody(), key)
    assert.equal(first.statusCode, 201, first.body)
    // The same request with its fields in another order is the same request.
    const { currency, items } = orderBody() as { currency: string, items: object[] }
    const retry = await svc.create(userId, { currency, items }, key)
    assert.equal(retry.statusCode, 201, retry.body)
    assert.equal(retry.headers['idempotent-replayed'], 'true')
    assert.deepEqual(retry.json(), first.json())
    assert.equal(await svc.ordersOf(userId), 1)
    assert.equal(await svc.outboxCount(first.json().id), 1)
    // Once a later order's event has arrived, a second event for the first would have too.
    const later = (await svc.create(userId, orderBody())).json<OrderJson>()
    await waitFor(() => createdEvents(later.id).length === 1)
    assert.equal(createdEvents(first.json().id).length, 1)
  })

  it('creates one order from concurrent requests with one key', async () => {
    const userId = newUserId()
    const key = uniqueKey()
    const answers = await Promise.all(Array.from({ length: 5 }, () => svc.create(userId, orderBody(), key)))
    for (const res of answers) assert.equal(res.statusCode, 201, res.body)
    const ids = new Set(answers.map(res => res.json().id))
    assert.equal(ids.size, 1)
    assert.equal(answers.filter(res => res.headers['idempotent-replayed'] === 'true').length, 4)
    assert.equal(await svc.ordersOf(userId), 1)
    assert.equal(await svc.outboxCount([...ids][0]), 1)
  })

  it('refuses the same key with a different body: 422 idempotency_key_reused, and nothing created', async () => {
    const userId = newUserId()
    const key = uniqueKey()
    const first = await svc.create(userId, orderBody(), key)
    assert.equal(first.statusCode, 201)
    for (const other of [orderBody({ currency: 'USD' }), orderBody({ items: [{ sku: 'TSHIRT-M-BLUE', quantity: 3, unitPrice: 1999 }] })]) {
      const res = await svc.create(userId, other, key)
      assert.equal(res.statusCode, 422, res.body)
      assert.equal(res.json().code, 'idempotency_key_reused')
      assert.equal(res.json().errors[0].path, '/headers/idempotency-key')
    }
    assert.equal(await svc.ordersOf(userId), 1)
    const again = await svc.create(userId, orderBody(), key)
    assert.equal(again.json().id, first.json().id)
  })

  it('keeps keys per user: two users with one key get two orders', async () => {
    const key = uniqueKey()
    const alice = await svc.create(newUserId(), orderBody(), key)
    const bob = await svc.create(newUserId(), orderBody(), key)
    assert.equal(alice.statusCode, 201)
    assert.equal(bob.statusCode, 201)
    assert.equal(bob.headers['idempotent-replayed'], undefined)
    assert.notEqual(alice.json().id, bob.json().id)
  })

  it('creates a new order for each request without a key', async () => {
    const userId = newUserId()
    await svc.create(userId, orderBody())
    await svc.create(userId, orderBody())
    assert.equal(await svc.ordersOf(userId), 2)
  })

  it('refuses an empty or overlong key, naming the header', async () => {
    for (const key of ['', 'k'.repeat(201)]) {
      const res = await svc.create(newUserId(), orderBody(), key)
      assert.equal(res.statusCode, 400, res.body)
      assert.equal(res.json().errors[0].path, '/headers/idempotency-key')
    }
    assert.equal((await svc.create(newUserId(), orderBody(), 'k'.repeat(200))).statusCode, 201)
  })
})
