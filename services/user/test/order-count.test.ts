import { randomUUID } from 'node:crypto'
import { describe, it } from 'node:test'
import assert from 'node:assert/strict'
import { createEvent, wasProcessed } from '@app/kit/bus'
import type { CloudEvent } from '@app/kit/bus'
import { callerHeadersFor, waitFor } from '@app/kit/testing'
import type { Tx } from '@app/kit/db'
import { createOrderCounter } from '../src/order-count.ts'
import { internal, registerUser, useUserService } from './helper.ts'

const CONSUMER = 'user.order-count'

describe('order count: the user service consumes order.created', () => {
  const svc = useUserService()
  const orderCreated = (userId: string) => createEvent('/services/order', 'order.created', {
    orderId: randomUUID(), userId, items: [{ sku: 'A-1', quantity: 1, unitPrice: 100 }], total: 100, currency: 'EUR', createdAt: new Date().toISOString()
  }, userId)
  const publish = (event: CloudEvent) => svc.service.backends.bus.bus.publish(event)
  const processed = (event: CloudEvent) => waitFor(() => wasProcessed(svc.service.ctx.db, CONSUMER, event.id))
  async function ordersCount (userId: string): Promise<number> {
    const res = await svc.app.inject({ method: 'GET', url: `/internal/users/${userId}`, headers: internal })
    assert.equal(res.statusCode, 200, res.body)
    return res.json().ordersCount
  }

  it('starts at 0 and counts each order once, even when its event arrives twice', async () => {
    const user = await registerUser(svc.app)
    assert.equal(await ordersCount(user.id), 0)
    const first = orderCreated(user.id)
    await Promise.all([publish(first), publish(first)])
    await processed(first)
    assert.equal(await ordersCount(user.id), 1)
    // A later redelivery counts for nothing either; a duplicate that had been counted would show here at the latest.
    await publish(first)
    const second = orderCreated(user.id)
    await publish(second)
    await processed(second)
    assert.equal(await ordersCount(user.id), 2)
  })

  it('counts orders that arrive together in batches, each once, per user', async () => {
    const [a, b] = await Promise.all([registerUser(svc.app), registerUser(svc.app)])
    const events = [...Array.from({ length: 20 }, () => orderCreated(a.id)), ...Array.from({ length: 10 }, () => orderCreated(b.id))]
    await Promise.all(events.map(publish))
    await Promise.all(events.map(processed))
    assert.equal(await ordersCount(a.id), 20)
    assert.equal(await ordersCount(b.id), 10)
    // Rows a transaction wrote share its xmin: one transaction per event before.
    const { rows } = await svc.service.ctx.db.query<{ n: number }>(
      'select count(distinct xmin::text)::int as n from processed_events where consumer = $1 and event_id = any($2::text[])', [CONSUMER, events.map(e => e.id)])
    assert.ok(rows[0]!.n <= 6, `${rows[0]!.n} transactions for 30 events`)
  })

  it('counts the orders a transaction\'s effects count side by side in one update', async () => {
    const [a, b] = await Promise.all([registerUser(svc.app), registerUser(svc.app)])
    const counter = createOrderCounter()
    let statements = 0
    await svc.service.ctx.db.tx(async (tx) => {
      const counting = Object.assign(Object.create(tx) as Tx, { query: (...args: Parameters<Tx['query']>) => { statements++; return tx.query(...args) } })
      await Promise.all([a.id, a.id, b.id, randomUUID()].map(id => counter.countOrder(id, counting)))
    })
    assert.equal(statements, 1)
    assert.equal(await ordersCount(a.id), 2)
    assert.equal(await ordersCount(b.id), 1)
  })

  it('keeps ordersCount off the public user', async () => {
    const user = await registerUser(svc.app)
    await publish(orderCreated(user.id))
    await waitFor(async () => await ordersCount(user.id) === 1)
    const res = await svc.app.inject({ method: 'GET', url: '/api/v1/users/me', headers: callerHeadersFor(user.id) })
    assert.equal(res.statusCode, 200)
    assert.equal('ordersCount' in res.json(), false)
  })

  it('ignores an order of a user it does not know', async () => {
    const stranger = orderCreated(randomUUID())
    await publish(stranger)
    await processed(stranger)
    const res = await svc.app.inject({ method: 'GET', url: `/internal/users/${stranger.subject}`, headers: internal })
    assert.equal(res.statusCode, 404)
  })
})
