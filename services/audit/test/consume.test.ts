import { describe, it } from 'node:test'
import assert from 'node:assert/strict'
import { createEvent } from '@app/kit/bus'
import { waitFor } from '@app/kit/testing'
import { assertSingleChain, newUserId, useAuditService } from './helper.ts'
import type { AuditEventJson } from './helper.ts'

/** The event types of the public contract (API.md, Events). */
const EVENT_TYPES = [
  'user.registered', 'user.updated', 'user.email_verified', 'user.phone_verified',
  'auth.login_succeeded', 'auth.login_failed', 'auth.logged_out', 'auth.token_reuse_detected',
  'password.reset_requested', 'password.changed',
  'otp.generated', 'otp.resent', 'otp.regenerated', 'otp.validated', 'otp.validation_failed',
  'email_verification.sent', 'email_verification.verified',
  'order.created', 'notification.sent', 'notification.failed'
]

describe('consuming the events exchange', () => {
  const audit = useAuditService()

  it('stores every event type once, even when each is delivered twice', async () => {
    const userId = newUserId()
    const events = await Promise.all(EVENT_TYPES.map(type => audit.publish(type, { userId, n: type.length }, userId)))
    for (const event of events) await audit.service.backends.bus.bus.publish(event)
    await audit.waitStored(events)

    // A later event is stored after the duplicates were delivered; none of them made a second row or a dead letter.
    const last = await audit.publish('user.updated', { userId }, userId)
    await audit.waitStored([last])
    const res = await audit.list({ userId, limit: '100' })
    assert.equal(res.statusCode, 200, res.body)
    const items = res.json().items as AuditEventJson[]
    assert.equal(items.length, EVENT_TYPES.length + 1)
    assert.deepEqual(new Set(items.map(i => i.id)).size, items.length)
    assert.deepEqual(new Set(items.map(i => i.type)), new Set(EVENT_TYPES))
    assert.deepEqual(await audit.service.backends.bus.bus.deadLetters('audit.events'), [])
  })

  it('keeps the event as it was published, with its place in the chain', async () => {
    const userId = newUserId()
    const time = new Date('2024-02-29T12:34:56.789Z')
    const event = await audit.publish('order.created', { orderId: 'o-1', total: 1999, items: [{ sku: 'A', quantity: 2 }] }, userId, time)
    await audit.waitStored([event])
    const [item] = (await audit.list({ userId })).json().items as AuditEventJson[]
    assert.deepEqual({ ...item, seq: 0, hash: '', prevHash: '', receivedAt: '', dataHash: '' }, {
      seq: 0,
      id: event.id,
      type: 'order.created',
      source: '/services/test',
      subject: userId,
      time: '2024-02-29T12:34:56.789Z',
      data: { orderId: 'o-1', total: 1999, items: [{ sku: 'A', quantity: 2 }] },
      hash: '',
      prevHash: '',
      receivedAt: '',
      dataHash: '',
      erasedAt: null
    })
    assert.match(item!.hash, /^[0-9a-f]{64}$/)
    assert.match(item!.dataHash, /^[0-9a-f]{64}$/)
    assert.ok(item!.seq >= 1)
  })

  it('stores an event without a subject with subject null', async () => {
    const event = await audit.publish('auth.login_failed', { method: 'password', reason: 'invalid_credentials' })
    await audit.waitStored([event])
    const { rows } = await audit.db().query<{ subject: string | null }>('select subject from audit_events where event_id = $1', [event.id])
    assert.equal(rows[0]!.subject, null)
  })

  it('drops data members named like password, token, code, otp or secret, at any depth', async () => {
    const userId = newUserId()
    const event = await audit.publish('user.updated', {
      userId,
      password: 'hunter2',
      newPassword: 'x',
      refresh_token: 'r',
      accessToken: 'a',
      nested: { otp: '123456', otpCode: '123456', clientSecret: 's', 'api-secret': 's', keep: 'yes', list: [{ code: '1', name: 'kept' }] },
      changes: ['email']
    }, userId)
    await audit.waitStored([event])
    const [item] = (await audit.list({ userId })).json().items as AuditEventJson[]
    assert.deepEqual(item!.data, { userId, nested: { keep: 'yes', list: [{ name: 'kept' }] }, changes: ['email'] })
    const { rows } = await audit.db().query<{ raw: string }>('select data::text as raw from audit_events where event_id = $1', [event.id])
    assert.doesNotMatch(rows[0]!.raw, /hunter2|123456|"r"|"a"|"s"/)
  })

  it('stores text PostgreSQL could not hold (U+0000, a lone surrogate) with U+FFFD instead', async () => {
    const event = await audit.publish('user.updated', { name: 'a\u0000b', odd: 'x\ud800y' })
    await audit.waitStored([event])
    const { rows } = await audit.db().query<{ data: unknown }>('select data from audit_events where event_id = $1', [event.id])
    assert.deepEqual(rows[0]!.data, { name: 'a\uFFFDb', odd: 'x\uFFFDy' })
  })

  it('ignores messages on other exchanges, such as notification requests', async () => {
    const bus = audit.service.backends.bus.bus
    const request = createEvent('/services/test', 'notification.requested', { template: 'otp_code' })
    await bus.publish(request, { exchange: 'notifications', routingKey: 'notification.requested.otp_code' })
    const marker = await audit.publish('user.updated', {})
    await audit.waitStored([marker])
    assert.equal(await audit.stored([request.id]), 0)
  })

  it('dead-letters a message that is not a CloudEvent instead of retrying it', async () => {
    const broken = { ...createEvent('/services/test', 'user.updated', {}), time: 'yesterday' }
    await audit.service.backends.bus.bus.publish(broken)
    const dead = await waitFor(async () => (await audit.service.backends.bus.bus.deadLetters('audit.events')).find(d => d.event.id === broken.id))
    assert.equal(dead.attempts, 1)
    assert.equal(await audit.stored([broken.id]), 0)
  })

  it('keeps one chain that verifies', async () => {
    assertSingleChain(await audit.chain())
    const result = await audit.verify()
    assert.equal(result.ok, true)
    assert.equal(result.checked, (await audit.chain()).length)
  })
})
