import { describe, it } from 'node:test'
import assert from 'node:assert/strict'
import { newUserId, orderBody, useOrderService } from './helper.ts'
import type { OrderJson } from './helper.ts'

describe('reading orders: GET /api/v1/orders/{id} and GET /api/v1/orders', () => {
  const svc = useOrderService()
  const place = async (userId: string, sku = 'A-1') => {
    const res = await svc.create(userId, orderBody({ items: [{ sku, quantity: 1, unitPrice: 100 }] }))
    assert.equal(res.statusCode, 201, res.body)
    return res.json<OrderJson>()
  }
  const ids = (res: { json(): { items: OrderJson[] } }) => res.json().items.map(o => o.id)

  it('shows an order to its owner and to an admin, and answers 404 to anyone else', async () => {
    const owner = newUserId()
    const order = await place(owner)
    assert.deepEqual((await svc.get(owner, order.id)).json(), order)
    const admin = await svc.get(newUserId(), order.id, true)
    assert.equal(admin.statusCode, 200)
    assert.deepEqual(admin.json(), order)
    const other = await svc.get(newUserId(), order.id)
    const unknown = await svc.get(owner, newUserId())
    assert.equal(other.statusCode, 404)
    assert.equal(other.json().code, 'order_not_found')
    const strip = (body: Record<string, unknown>) => ({ ...body, requestId: undefined })
    assert.deepEqual(strip(other.json()), strip(unknown.json()), 'someone else\'s order looks like no order')
  })

  it('answers 400 naming the id when it is not a UUID', async () => {
    const res = await svc.get(newUserId(), 'not-a-uuid')
    assert.equal(res.statusCode, 400)
    assert.equal(res.json().errors[0].path, '/params/id')
  })

  it('lists only the caller\'s orders, newest first, over pages without gaps or duplicates', async () => {
    const me = newUserId()
    const created: string[] = []
    for (let i = 0; i < 7; i++) created.push((await place(me, `P-${i}`)).id)
    await place(newUserId())
    const seen: string[] = []
    let cursor: string | undefined
    for (let page = 0; page < 3; page++) {
      const res = await svc.list(me, { limit: '3', ...(cursor ? { cursor } : {}) })
      assert.equal(res.statusCode, 200, res.body)
      seen.push(...ids(res))
      cursor = res.json().nextCursor ?? undefined
      assert.equal(cursor === undefined, page === 2, `page ${page} nextCursor`)
    }
    assert.deepEqual(seen, created.reverse())
    const first = (await svc.list(me, { limit: '3' })).json().items[0]
    assert.equal(first.items[0].sku, 'P-6')
  })

  it('gives an empty page to a user without orders, and 20 orders by default', async () => {
    const res = await svc.list(newUserId())
    assert.deepEqual(res.json(), { items: [], nextCursor: null })
    const busy = newUserId()
    for (let i = 0; i < 21; i++) await place(busy)
    const page = (await svc.list(busy)).json()
    assert.equal(page.items.length, 20)
    assert.notEqual(page.nextCursor, null)
  })

  it('lets an admin list another user\'s orders with userId, and nobody else', async () => {
    const customer = newUserId()
    const orders = [await place(customer), await place(customer)]
    const admin = await svc.list(newUserId(), { userId: customer }, true)
    assert.equal(admin.statusCode, 200, admin.body)
    assert.deepEqual(ids(admin), orders.map(o => o.id).reverse())
    const snoop = await svc.list(newUserId(), { userId: customer })
    assert.equal(snoop.statusCode, 403)
    assert.equal(snoop.json().code, 'forbidden')
    assert.deepEqual(ids(await svc.list(customer, { userId: customer })), ids(admin))
  })

  it('lets an admin list every user\'s orders with all=true, newest first over pages; nobody else', async () => {
    const a = await place(newUserId(), 'ALL-A')
    const b = await place(newUserId(), 'ALL-B')
    const c = await place(newUserId(), 'ALL-C')
    const first = await svc.list(newUserId(), { all: 'true', limit: '2' }, true)
    assert.equal(first.statusCode, 200, first.body)
    // The newest orders of the store (other tests' orders are older): c then b, and a on the next page.
    assert.deepEqual(ids(first), [c.id, b.id])
    const next = await svc.list(newUserId(), { all: 'true', limit: '1', cursor: first.json().nextCursor }, true)
    assert.deepEqual(ids(next), [a.id])
    const snoop = await svc.list(newUserId(), { all: 'true' })
    assert.equal(snoop.statusCode, 403)
    assert.equal(snoop.json().code, 'forbidden')
    const both = await svc.list(newUserId(), { all: 'true', userId: newUserId() }, true)
    assert.equal(both.statusCode, 400, both.body)
    assert.equal(both.json().errors[0].path, '/querystring/all')
  })

  it('refuses a cursor it did not make and a limit out of range, naming the parameter', async () => {
    for (const [query, path] of [[{ cursor: 'bogus!' }, '/querystring/cursor'], [{ cursor: 'YWJj' }, '/querystring/cursor'], [{ limit: '0' }, '/querystring/limit'], [{ limit: '101' }, '/querystring/limit'], [{ userId: 'x' }, '/querystring/userId']] as const) {
      const res = await svc.list(newUserId(), query)
      assert.equal(res.statusCode, 400, res.body)
      assert.equal(res.json().errors[0].path, path)
    }
  })
})
