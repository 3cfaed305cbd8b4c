import { randomUUID } from 'node:crypto'
import { describe, it } from 'node:test'
import assert from 'node:assert/strict'
import { internal, newUserId, useAuditService } from './helper.ts'
import type { AuditEventJson } from './helper.ts'

describe('log-event: POST /internal/audit/events', () => {
  const audit = useAuditService()
  const logEvent = (payload: object, headers: Record<string, string> = internal) =>
    audit.app.inject({ method: 'POST', url: '/internal/audit/events', payload, headers })

  it('answers 401 without the service credential or with a wrong one, and stores nothing', async () => {
    const id = randomUUID()
    const attempts: Array<Record<string, string>> = [{}, { 'x-service-token': 'not-the-secret-not-the-secret-0000' }]
    for (const headers of attempts) {
      const res = await logEvent({ id, type: 'order.refunded', data: {} }, headers)
      assert.equal(res.statusCode, 401)
      assert.equal(res.json().code, 'unauthorized')
    }
    assert.equal(await audit.stored([id]), 0)
  })

  it('stores the event in the chain and answers 201 with the entry', async () => {
    const userId = newUserId()
    const res = await logEvent({ type: 'order.refunded', subject: userId, source: '/services/order', data: { orderId: 'o-9', amount: 500 } })
    assert.equal(res.statusCode, 201, res.body)
    const entry = res.json() as AuditEventJson
    assert.match(entry.id, /^[0-9a-f]{8}-[0-9a-f]{4}-7[0-9a-f]{3}-/, 'a UUIDv7 when no id is given')
    assert.equal(entry.type, 'order.refunded')
    assert.equal(entry.source, '/services/order')
    assert.equal(entry.subject, userId)
    assert.deepEqual(entry.data, { orderId: 'o-9', amount: 500 })
    assert.match(entry.hash, /^[0-9a-f]{64}$/)
    assert.ok(!Number.isNaN(Date.parse(entry.time)))

    const listed = (await audit.list({ userId })).json().items as AuditEventJson[]
    assert.deepEqual(listed, [entry])
  })

  it('joins the same chain as consumed events', async () => {
    const consumed = await audit.publish('user.updated', {})
    await audit.waitStored([consumed])
    const res = await logEvent({ type: 'admin.exported', data: { rows: 3 } })
    assert.equal(res.statusCode, 201, res.body)
    const chain = await audit.chain()
    const last = chain.at(-1)!
    assert.equal(last.eventId, res.json().id)
    assert.equal(res.json().prevHash, chain.at(-2)!.hash)
    assert.equal(res.json().source, '/services/audit')
    assert.equal((await audit.verify()).ok, true)
  })

  it('is idempotent on id: a repeat answers 200 with the stored entry and stores nothing new', async () => {
    const id = randomUUID()
    const body = { id, type: 'order.refunded', subject: newUserId(), data: { orderId: 'o-1', lines: [1, 2] } }
    const first = await logEvent(body)
    assert.equal(first.statusCode, 201, first.body)
    const length = (await audit.chain()).length
    const again = await logEvent({ ...body, data: { lines: [1, 2], orderId: 'o-1' } })
    assert.equal(again.statusCode, 200, again.body)
    assert.deepEqual(again.json(), first.json())
    assert.equal((await audit.chain()).length, length)
  })

  it('answers 409 audit_event_id_conflict when the id already holds another event', async () => {
    const id = randomUUID()
    assert.equal((await logEvent({ id, type: 'order.refunded', data: { amount: 1 } })).statusCode, 201)
    const res = await logEvent({ id, type: 'order.refunded', data: { amount: 2 } })
    assert.equal(res.statusCode, 409)
    assert.equal(res.json().code, 'audit_event_id_conflict')
    assert.equal(res.json().errors[0].path, '/body/id')
  })

  it('answers 200 for an id a consumed event already used, when the content is the same', async () => {
    const userId = newUserId()
    const event = await audit.publish('user.updated', { userId }, userId)
    await audit.waitStored([event])
    const res = await logEvent({ id: event.id, type: 'user.updated', subject: userId, source: '/services/test', data: { userId } })
    assert.equal(res.statusCode, 200, res.body)
    assert.equal(res.json().time, event.time)
  })

  it('drops data members named like password, token, code, otp or secret', async () => {
    const res = await logEvent({ type: 'user.updated', data: { password: 'p', resetToken: 't', profile: { smsCode: '1', OTP: '2', name: 'Ada' } } })
    assert.equal(res.statusCode, 201, res.body)
    assert.deepEqual(res.json().data, { profile: { name: 'Ada' } })
  })

  it('answers 400 naming the field for a bad body', async () => {
    const cases: Array<[object, string]> = [
      [{ data: {} }, '/body/type'],
      [{ type: 'Order Refunded', data: {} }, '/body/type'],
      [{ type: 'order', data: {} }, '/body/type'],
      [{ type: 'order.refunded' }, '/body/data'],
      [{ type: 'order.refunded', data: [1] }, '/body/data'],
      [{ type: 'order.refunded', data: {}, id: '' }, '/body/id'],
      [{ type: 'order.refunded', data: {}, time: '2024-01-01T00:00:00Z' }, '/body/time']
    ]
    for (const [body, path] of cases) {
      const res = await logEvent(body)
      assert.equal(res.statusCode, 400, `${JSON.stringify(body)}: ${res.body}`)
      assert.equal(res.json().errors[0].path, path, JSON.stringify(body))
    }
  })
})
