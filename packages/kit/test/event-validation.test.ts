import { after, before, describe, it } from 'node:test'
import assert from 'node:assert/strict'
import { randomUUID } from 'node:crypto'
import { Type } from '@sinclair/typebox'
import { createEvent, wasProcessed } from '../src/bus/index.ts'
import type { Bus, CloudEvent } from '../src/bus/index.ts'
import { defineService } from '../src/service/define-service.ts'
import { busAdapters, openTestCache, openTestCluster, startTestService, uniqueName, waitFor } from '../src/testing/index.ts'
import type { TestBackends, TestService } from '../src/testing/index.ts'

const VERIFICATION = 'verification'
const REQUEST_KEY = 'otp_routing_key'

/** A service with two consumers that records what reached `prepare` and the handlers. */
function recordingService () {
  const prepared: string[] = []
  const handled: Array<{ id: string, by: string }> = []
  const requests: string[] = []
  const definition = defineService({
    name: 'order',
    description: 'event validation test',
    configSchema: Type.Object({}),
    async setup (_app, ctx) {
      await ctx.consume({
        name: 'moderation',
        bindings: ['user.disabled'],
        prepare: async (event) => { prepared.push(event.id) }
      }, async (event) => {
        // Typed by the contract: no cast.
        handled.push({ id: event.id, by: event.data.by })
      })
      await ctx.consume({ name: 'requests', exchange: VERIFICATION, bindings: [REQUEST_KEY], types: ['otp.requested'] }, async (event) => {
        requests.push(event.data.requestId)
      })
    }
  })
  return { definition, prepared, handled, requests }
}

for (const adapter of busAdapters()) {
  describe(`consumers validate events before acting (${adapter.name} bus)`, () => {
    const recorded = recordingService()
    let svc: TestService<unknown> & { cleanup(): Promise<void> }
    let backends: TestBackends
    let bus: Bus

    before(async () => {
      const cluster = process.env.DATABASE_URL ? undefined : await openTestCluster()
      const cache = await openTestCache()
      const opened = await adapter.open()
      backends = {
        cluster,
        cache,
        bus: opened,
        schemaPrefix: `${uniqueName('t')}_`,
        async cleanup () {
          await opened.cleanup()
          await cache.cleanup()
          await cluster?.close()
        }
      }
      svc = await startTestService(recorded.definition, {}, backends)
      bus = opened.bus
    })
    after(async () => {
      // Either may be missing when the before hook failed midway; the backends go even if the service's cleanup throws.
      try {
        await svc?.cleanup()
      } finally {
        await backends?.cleanup()
      }
    })

    const disabled = (data: unknown, extra: Partial<CloudEvent> = {}) =>
      ({ ...createEvent('/services/user', 'user.disabled', data, 'u-1'), ...extra })

    async function deadLetter (queue: string, event: CloudEvent) {
      return waitFor(async () => (await bus.deadLetters(queue)).find(d => d.event.id === event.id))
    }

    async function assertNeverHandled (event: CloudEvent) {
      assert.ok(!recorded.prepared.includes(event.id), 'prepare never saw it')
      assert.ok(!recorded.handled.some(h => h.id === event.id), 'the handler never saw it')
      assert.equal(await wasProcessed(svc.ctx.db, 'order.moderation', event.id), false)
    }

    it('hands a valid event to prepare and the handler, with its data typed', async () => {
      const event = disabled({ userId: randomUUID(), by: 'admin-1' })
      assert.equal(event.dataschema, 'urn:gatehouse:event:user.disabled:v1', 'producers set the contract they wrote to')
      await bus.publish(event)
      const handled = await waitFor(() => recorded.handled.find(h => h.id === event.id))
      assert.equal(handled.by, 'admin-1')
      assert.ok(recorded.prepared.includes(event.id))
    })

    it('dead-letters an invalid payload at once with the reason, and never runs the handler', async () => {
      const event = disabled({ userId: randomUUID(), by: 42 })
      await bus.publish(event)
      const dead = await deadLetter('order.moderation', event)
      assert.match(dead.error, /^invalid_event: user\.disabled v1: invalid data: \/by /)
      assert.equal(dead.attempts, 1, 'not retried: it can never succeed')
      assert.deepEqual(dead.event.data, { userId: (event.data as { userId: string }).userId, by: 42 }, 'the message is kept as it was, for inspection and replay')
      await assertNeverHandled(event)
    })

    it('dead-letters a payload of a version this release does not read', async () => {
      const event = disabled({ userId: randomUUID(), by: 'admin-1' }, { dataschema: 'urn:gatehouse:event:user.disabled:v2' })
      await bus.publish(event)
      const dead = await deadLetter('order.moderation', event)
      assert.match(dead.error, /unsupported dataschema "urn:gatehouse:event:user\.disabled:v2"/)
      await assertNeverHandled(event)
    })

    it('dead-letters a payload with a member named like a secret', async () => {
      const event = disabled({ userId: randomUUID(), by: 'admin-1', resetToken: 'abc123' })
      await bus.publish(event)
      const dead = await deadLetter('order.moderation', event)
      assert.match(dead.error, /a member named like a secret: \/resetToken/)
      await assertNeverHandled(event)
    })

    it('takes only the declared types on routing-key bindings', async () => {
      const publish = (event: CloudEvent) => bus.publish(event, { exchange: VERIFICATION, routingKey: REQUEST_KEY })
      const request = createEvent('/services/auth', 'otp.requested', { requestId: randomUUID(), destination: '+14155550123', purpose: 'login' })
      const stray = createEvent('/services/otp', 'otp.request_completed', { requestId: randomUUID(), destination: '+14155550123', purpose: 'login', status: 'sent' })
      await publish(stray)
      await publish(request)
      const dead = await deadLetter('order.requests', stray)
      assert.match(dead.error, /^invalid_event: otp\.request_completed is not a type this consumer takes \(otp\.requested\)/)
      await waitFor(() => recorded.requests.includes((request.data as { requestId: string }).requestId))
      assert.ok(!recorded.requests.includes((stray.data as { requestId: string }).requestId))
    })
  })
}
