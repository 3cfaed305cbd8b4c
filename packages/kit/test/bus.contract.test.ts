import { after, before, describe, it } from 'node:test'
import assert from 'node:assert/strict'
import { createEvent, PermanentError } from '../src/bus/index.ts'
import type { Bus, CloudEvent, DeliveryInfo, EventHandler, SubscribeOptions } from '../src/bus/index.ts'
import { busAdapters, waitFor } from '../src/testing/test-bus.ts'
import type { TestBus } from '../src/testing/test-bus.ts'

interface Delivery {
  event: CloudEvent
  info: DeliveryInfo
}

/** A handler that records what it gets, after `behaviour` (which may throw) has run. */
function recorder (behaviour: (event: CloudEvent, info: DeliveryInfo) => void = () => {}) {
  const got: Delivery[] = []
  const handler: EventHandler = async (event, info) => {
    got.push({ event, info })
    behaviour(event, info)
  }
  return { got, handler, types: () => got.map(d => d.event.type) }
}

const event = (type: string, data: unknown = { n: 1 }) => createEvent('/services/test', type, data, 'user-1')

for (const adapter of busAdapters()) {
  describe(`bus contract: ${adapter.name}`, () => {
    let opened: TestBus
    let bus: Bus
    const subscribe = (options: SubscribeOptions, handler: EventHandler) => bus.subscribe(options, handler)

    before(async () => {
      opened = await adapter.open()
      bus = opened.bus
    })
    after(() => opened.cleanup())

    it('delivers a published event to a subscribed group unchanged, as attempt 1', async () => {
      const r = recorder()
      await subscribe({ group: 'receive', bindings: ['user.registered'] }, r.handler)
      const sent = createEvent('/services/user', 'user.registered', { userId: 'u1', email: 'a@example.com', tags: ['x'] }, 'u1')
      await bus.publish(sent)
      await waitFor(() => r.got.length === 1)
      assert.deepEqual(r.got[0]!.event, sent)
      assert.deepEqual(r.got[0]!.info, { attempt: 1, redelivered: false })
      assert.equal(bus.isConnected(), true)
      await bus.ping()
    })

    it('routes by topic binding: user.* takes one-word user events, order.created only itself', async () => {
      const users = recorder()
      const orders = recorder()
      await subscribe({ group: 'topic-users', bindings: ['user.*'] }, users.handler)
      await subscribe({ group: 'topic-orders', bindings: ['order.created'] }, orders.handler)
      for (const type of ['user.registered', 'order.created', 'user.profile.updated', 'order.cancelled', 'user.email_verified']) {
        await bus.publish(event(type))
      }
      // Queues are FIFO: once these last ones arrive, anything routed earlier has arrived too.
      await bus.publish(event('user.done'))
      await bus.publish(event('order.created', { last: true }))
      await waitFor(() => users.types().includes('user.done') && orders.got.some(d => (d.event.data as { last?: boolean }).last))
      assert.deepEqual(users.types(), ['user.registered', 'user.email_verified', 'user.done'])
      assert.deepEqual(orders.types(), ['order.created', 'order.created'])
    })

    it('gives every group its own copy', async () => {
      const a = recorder()
      const b = recorder()
      await subscribe({ group: 'copy-a', bindings: ['order.created'] }, a.handler)
      await subscribe({ group: 'copy-b', bindings: ['#'] }, b.handler)
      const sent = event('order.created')
      await bus.publish(sent)
      await waitFor(() => a.got.length === 1 && b.got.length === 1)
      assert.equal(a.got[0]!.event.id, sent.id)
      assert.equal(b.got[0]!.event.id, sent.id)
    })

    it('shares one group between its subscribers: each message is handled once', async () => {
      const first = recorder()
      const second = recorder()
      await subscribe({ group: 'shared', bindings: ['order.created'] }, first.handler)
      await subscribe({ group: 'shared', bindings: ['order.created'] }, second.handler)
      const sent = Array.from({ length: 10 }, () => event('order.created'))
      for (const e of sent) await bus.publish(e)
      await waitFor(() => first.got.length + second.got.length >= 10)
      const handled = [...first.got, ...second.got].map(d => d.event.id).sort()
      assert.deepEqual(handled, sent.map(e => e.id).sort())
      assert.ok(first.got.length > 0 && second.got.length > 0, 'both subscribers took a share')
    })

    it('retries a failing handler with backoff until it succeeds: attempts 1, 2, 3', async () => {
      const r = recorder((_, info) => { if (info.attempt < 3) throw new Error(`flaky ${info.attempt}`) })
      await subscribe({ group: 'retry', bindings: ['order.created'] }, r.handler)
      const sent = event('order.created')
      await bus.publish(sent)
      await waitFor(() => r.got.length === 3)
      assert.deepEqual(r.got.map(d => d.info.attempt), [1, 2, 3])
      assert.ok(r.got.every(d => d.event.id === sent.id))
      assert.deepEqual(await bus.deadLetters('retry'), [])
    })

    it('dead-letters a message after maxAttempts failures, with the error text, and keeps it on read', async () => {
      const r = recorder((_, info) => { throw new Error(`boom on attempt ${info.attempt}`) })
      await subscribe({ group: 'always-fails', bindings: ['order.created'] }, r.handler)
      const sent = event('order.created')
      await bus.publish(sent)
      const [dead] = await waitFor(async () => {
        const found = await bus.deadLetters('always-fails')
        return found.length === 1 ? found : undefined
      })
      assert.deepEqual(dead!.event, sent)
      assert.equal(dead!.queue, 'always-fails')
      assert.equal(dead!.error, 'boom on attempt 3')
      assert.equal(dead!.attempts, 3)
      assert.ok(!Number.isNaN(Date.parse(dead!.deadAt)))
      assert.deepEqual(r.got.map(d => d.info.attempt), [1, 2, 3])
      assert.equal((await bus.deadLetters('always-fails')).length, 1, 'reading does not remove')
    })

    it('keeps retrying while a backend is unreachable, without using up the tries, and dead-letters nothing', async () => {
      // Twice the tries a message has (maxAttempts 3), then the database is back.
      const r = recorder((_, info) => {
        if (r.got.length <= 6) throw Object.assign(new Error('connect ECONNREFUSED 127.0.0.1:5432'), { code: 'ECONNREFUSED' })
        assert.equal(info.attempt, 1)
      })
      await subscribe({ group: 'backend-down', bindings: ['audit.logged'] }, r.handler)
      await bus.publish(event('audit.logged'))
      await waitFor(() => r.got.length === 7, 20_000)
      assert.deepEqual(r.got.map(d => d.info.attempt), [1, 1, 1, 1, 1, 1, 1])
      assert.deepEqual(await bus.deadLetters('backend-down'), [])
    })

    it('dead-letters at once when the handler throws a PermanentError', async () => {
      const r = recorder(() => { throw new PermanentError('payload can never be valid') })
      await subscribe({ group: 'permanent', bindings: ['order.created'] }, r.handler)
      await bus.publish(event('order.created'))
      const [dead] = await waitFor(async () => {
        const found = await bus.deadLetters('permanent')
        return found.length === 1 ? found : undefined
      })
      assert.equal(dead!.attempts, 1)
      assert.equal(dead!.error, 'payload can never be valid')
      assert.equal(r.got.length, 1)
    })

    it('replays dead letters back into the queue as a first attempt', async () => {
      let healthy = false
      const r = recorder(() => { if (!healthy) throw new PermanentError('downstream rejected it') })
      await subscribe({ group: 'replay', bindings: ['order.created'] }, r.handler)
      const sent = event('order.created')
      await bus.publish(sent)
      await waitFor(async () => (await bus.deadLetters('replay')).length === 1)
      healthy = true
      assert.equal(await bus.replayDeadLetters('replay'), 1)
      await waitFor(() => r.got.length === 2)
      assert.equal(r.got[1]!.event.id, sent.id)
      assert.equal(r.got[1]!.info.attempt, 1)
      assert.deepEqual(await bus.deadLetters('replay'), [])
      assert.equal(await bus.replayDeadLetters('replay'), 0)
    })

    it('knows no dead letters for a queue it never declared', async () => {
      assert.deepEqual(await bus.deadLetters('never-declared'), [])
      assert.equal(await bus.replayDeadLetters('never-declared'), 0)
    })

    it('supports a named exchange with a fixed queue name (verification / otp_queue)', async () => {
      const r = recorder()
      await subscribe({ group: 'otp', exchange: 'verification', queue: 'otp_queue', bindings: ['otp_routing_key'] }, r.handler)
      // The same routing key on the default exchange must not reach it.
      await bus.publish(event('otp.requested', { via: 'events' }), { routingKey: 'otp_routing_key' })
      const sent = event('otp.requested', { via: 'verification' })
      await bus.publish(sent, { exchange: 'verification', routingKey: 'otp_routing_key' })
      await waitFor(() => r.got.length === 1)
      assert.deepEqual(r.got[0]!.event, sent)
      assert.deepEqual(await bus.deadLetters('otp_queue'), [])
    })

    it('stops delivering to a closed subscription; the queue keeps messages for the group', async () => {
      const first = recorder()
      const sub = await subscribe({ group: 'resubscribe', bindings: ['order.created'] }, first.handler)
      await sub.close()
      const sent = event('order.created')
      await bus.publish(sent)
      const second = recorder()
      await subscribe({ group: 'resubscribe', bindings: ['order.created'] }, second.handler)
      await waitFor(() => second.got.length === 1)
      assert.equal(second.got[0]!.event.id, sent.id)
      assert.equal(first.got.length, 0)
    })
  })
}
