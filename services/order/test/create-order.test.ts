import { describe, it } from 'node:test'
import assert from 'node:assert/strict'
import type { Db } from '@app/kit/db'
import { waitFor } from '@app/kit/testing'
import { createOrderService } from '../src/order-service.ts'
import { createOrderStore } from '../src/order-store.pg.ts'
import { newUserId, orderBody, useOrderService } from './helper.ts'
import type { OrderJson } from './helper.ts'

describe('creating an order: POST /api/v1/orders', () => {
  const svc = useOrderService()

  const rejects = async (body: object, path: string) => {
    const res = await svc.create(newUserId(), body)
    assert.equal(res.statusCode, 400, res.body)
    assert.equal(res.json().code, 'validation_failed')
    assert.equal(res.json().errors[0].path, path, res.body)
    return res
  }
  const withItem = (item: Record<string, unknown>) => orderBody({ items: [{ sku: 'A-1', quantity: 1, unitPrice: 100, ...item }] })

  it('stores the order with the total computed on the server and answers 201', async () => {
    const userId = newUserId()
    const res = await svc.create(userId, orderBody())
    assert.equal(res.statusCode, 201, res.body)
    const order = res.json<OrderJson>()
    assert.match(order.id, /^[0-9a-f]{8}-[0-9a-f]{4}-7[0-9a-f]{3}-/)
    assert.equal(order.userId, userId)
    assert.equal(order.total, 2 * 1999 + 500)
    assert.equal(order.currency, 'EUR')
    assert.equal(order.status, 'created')
    assert.deepEqual(order.items, orderBody().items)
    assert.ok(!Number.isNaN(Date.parse(order.createdAt)))
    assert.equal(res.headers['idempotent-replayed'], undefined)
    assert.deepEqual((await svc.get(userId, order.id)).json(), order)
  })

  it('publishes order.created through the outbox with the order\'s id, items and total', async () => {
    const userId = newUserId()
    const order = (await svc.create(userId, orderBody({ currency: 'JPY' }))).json<OrderJson>()
    const event = await waitFor(() => svc.events.find(e => e.type === 'order.created' && (e.data as { orderId: string }).orderId === order.id))
    assert.equal(event.subject, userId)
    assert.deepEqual(event.data, {
      orderId: order.id, userId, items: order.items, total: order.total, currency: 'JPY', createdAt: order.createdAt
    })
    assert.equal(await svc.outboxCount(order.id), 1)
  })

  it('writes an order without an Idempotency-Key, its items and its event in one statement, with no transaction', async () => {
    const { db, events } = svc.service.ctx
    let transactions = 0
    const counting: Db = { ...db, tx: (fn) => { transactions++; return db.tx(fn) } }
    const orders = createOrderService({ db: counting, store: createOrderStore(counting), events, now: () => new Date() })
    const userId = newUserId()
    const { order } = await orders.createOrder(userId, { items: [{ sku: 'ONE-GO', quantity: 3, unitPrice: 250 }], currency: 'EUR' })
    assert.equal(transactions, 0)
    assert.deepEqual((await svc.get(userId, order.id)).json<OrderJson>().items, [{ sku: 'ONE-GO', quantity: 3, unitPrice: 250 }])
    assert.equal(await svc.outboxCount(order.id), 1)
  })

  it('takes the largest order the limits allow, and a free item', async () => {
    const items = Array.from({ length: 100 }, (_, i) => ({ sku: `S${i}`, quantity: 1000, unitPrice: i === 0 ? 0 : 100_000_000 }))
    const res = await svc.create(newUserId(), { items, currency: 'USD' })
    assert.equal(res.statusCode, 201, res.body)
    assert.equal(res.json().total, 99 * 1000 * 100_000_000)
    assert.equal(res.json().items[0].unitPrice, 0)
  })

  it('names the field of a bad quantity', async () => {
    await rejects(withItem({ quantity: 0 }), '/body/items/0/quantity')
    await rejects(withItem({ quantity: 1001 }), '/body/items/0/quantity')
    await rejects(withItem({ quantity: 1.5 }), '/body/items/0/quantity')
    await rejects(withItem({ quantity: '2' }), '/body/items/0/quantity')
  })

  it('names the field of a bad price', async () => {
    await rejects(withItem({ unitPrice: -1 }), '/body/items/0/unitPrice')
    await rejects(withItem({ unitPrice: 9.99 }), '/body/items/0/unitPrice')
    await rejects(withItem({ unitPrice: 100_000_001 }), '/body/items/0/unitPrice')
  })

  it('names the field of a bad sku, and of an unknown field', async () => {
    await rejects(withItem({ sku: '' }), '/body/items/0/sku')
    await rejects(withItem({ sku: 'has space' }), '/body/items/0/sku')
    await rejects(withItem({ sku: 'x'.repeat(65) }), '/body/items/0/sku')
    await rejects(withItem({ price: 1 }), '/body/items/0/price')
    await rejects({ ...orderBody(), total: 1 }, '/body/total')
  })

  it('refuses an empty order and one with more than 100 lines', async () => {
    await rejects(orderBody({ items: [] }), '/body/items')
    await rejects(orderBody({ items: Array.from({ length: 101 }, () => ({ sku: 'A', quantity: 1, unitPrice: 1 })) }), '/body/items')
    await rejects({ currency: 'EUR' }, '/body/items')
  })

  it('accepts only ISO 4217 currency codes', async () => {
    const res = await rejects(orderBody({ currency: 'XYZ' }), '/body/currency')
    assert.match(res.json().detail, /ISO 4217/)
    await rejects(orderBody({ currency: 'eur' }), '/body/currency')
    await rejects(orderBody({ currency: 'EURO' }), '/body/currency')
    await rejects(orderBody({ currency: undefined }), '/body/currency')
    assert.equal((await svc.create(newUserId(), orderBody({ currency: 'CHF' }))).statusCode, 201)
  })

  it('creates nothing and emits nothing for a refused order', async () => {
    const userId = newUserId()
    await svc.create(userId, orderBody({ currency: 'XYZ' }))
    assert.equal(await svc.ordersOf(userId), 0)
  })

  it('answers 401 unauthorized to an anonymous caller, before looking at the body', async () => {
    const res = await svc.create(undefined, { nonsense: true })
    assert.equal(res.statusCode, 401)
    assert.equal(res.json().code, 'unauthorized')
    assert.equal((await svc.get(undefined, newUserId())).statusCode, 401)
    assert.equal((await svc.list(undefined)).statusCode, 401)
  })
})
