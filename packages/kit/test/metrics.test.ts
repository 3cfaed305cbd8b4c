/**
 * The kit's service metrics: the outbox gauges read on scrape, the relay's
 * publish counters, and a service's consumers measured through its bus
 * (processing time, retries, dead letters counted and waiting), on the
 * embedded adapters and, when their URLs are set, PostgreSQL and RabbitMQ.
 */
import { after, before, describe, it } from 'node:test'
import assert from 'node:assert/strict'
import { Counter, Registry } from 'prom-client'
import { migrate, KIT_MIGRATIONS } from '../src/db/index.ts'
import type { Db } from '../src/db/index.ts'
import { createEvent, createOutboxRelay, enqueueEvent, PermanentError } from '../src/bus/index.ts'
import type { Bus } from '../src/bus/index.ts'
import { boundChildren, failureOutcome, measuredBus, registerOutboxMetrics } from '../src/metrics/index.ts'
import { openTestDb } from '../src/testing/test-db.ts'
import type { TestDb } from '../src/testing/test-db.ts'
import { busAdapters, waitFor } from '../src/testing/test-bus.ts'
import { startTestService } from '../src/testing/test-service.ts'
import { defineService } from '../src/service/define-service.ts'
import { Type } from '@sinclair/typebox'

/** The value of one series in the registry's exposition (0 when absent). */
async function value (registry: Registry, name: string, labels: Record<string, string> = {}): Promise<number> {
  const metric = (await registry.getMetricsAsJSON()).find(m => m.name === name.replace(/_(count|sum)$/, '') || m.name === name)
  if (!metric) return 0
  return (metric.values as Array<{ metricName?: string, labels: Record<string, string | number>, value: number }>)
    .filter(v => (v.metricName ?? metric.name) === name && Object.entries(labels).every(([k, x]) => String(v.labels[k]) === x))
    .reduce((sum, v) => sum + v.value, 0)
}

const event = () => createEvent('/services/order', 'order.created', { orderId: 'o-1' }, 'user-1')

describe('outbox metrics', () => {
  let testDb: TestDb
  let db: Db
  before(async () => {
    testDb = await openTestDb('metrics')
    db = testDb.db
    await migrate(db, [KIT_MIGRATIONS])
  })
  after(() => testDb.cleanup())

  it('reads the backlog, the oldest unsent row\'s age and the abandoned rows on scrape', async () => {
    const registry = new Registry()
    registerOutboxMetrics({ registry, db })
    assert.equal(await value(registry, 'gatehouse_outbox_backlog'), 0)
    assert.equal(await value(registry, 'gatehouse_outbox_oldest_age_seconds'), 0)
    const old = event()
    await db.tx(async (tx) => { await enqueueEvent(tx, old); await enqueueEvent(tx, event()); await enqueueEvent(tx, event()) })
    await db.query('update outbox set created_at = now() - interval \'90 seconds\' where id = $1', [old.id])
    await db.query('update outbox set status = \'abandoned\' where id <> $1 and id in (select id from outbox where status = \'queued\' limit 1)', [old.id])
    assert.equal(await value(registry, 'gatehouse_outbox_backlog'), 2)
    assert.equal(await value(registry, 'gatehouse_outbox_abandoned'), 1)
    const age = await value(registry, 'gatehouse_outbox_oldest_age_seconds')
    assert.ok(age >= 90 && age < 600, `oldest ${age} s`)
    await db.query('delete from outbox')
  })

  it('counts publishes and failed publishes, retried or abandoned', async () => {
    const registry = new Registry()
    const metrics = registerOutboxMetrics({ registry, db })
    let failing = true
    const published: string[] = []
    const bus = { async publish (e: { id: string }) { if (failing) throw new Error('broker unreachable'); published.push(e.id) } } as unknown as Bus
    const relay = createOutboxRelay({ db, bus, pollMs: 60_000, maxAttempts: 2, retryBaseMs: 1, metrics })
    await db.tx(tx => enqueueEvent(tx, event()))
    await relay.flush()
    assert.equal(await value(registry, 'gatehouse_outbox_publish_failures_total', { outcome: 'retry' }), 1)
    assert.equal(await value(registry, 'gatehouse_outbox_publish_failures_total', { outcome: 'abandoned' }), 1, 'the second failure used up its two attempts')
    failing = false
    await db.tx(tx => enqueueEvent(tx, event()))
    assert.equal(await relay.flush(), 1)
    assert.equal(await value(registry, 'gatehouse_outbox_published_total'), 1)
    await relay.stop()
    await db.query('delete from outbox')
  })

  it('never fails a scrape when the database cannot answer: the failure is counted', async () => {
    const registry = new Registry()
    registerOutboxMetrics({ registry, db: { query: async () => { throw new Error('connection refused') } } })
    const text = await registry.metrics()
    assert.match(text, /gatehouse_metrics_collect_failures_total\{collector="outbox"\} 1/)
  })
})

describe('a failed delivery is retried or dead-lettered as the bus decides', () => {
  it('matches the adapters: permanent and last tries dead-letter, an unreachable backend retries', () => {
    assert.equal(failureOutcome(new Error('x'), 1, 3), 'retry')
    assert.equal(failureOutcome(new Error('x'), 3, 3), 'dead_letter')
    assert.equal(failureOutcome(new PermanentError('x'), 1, 3), 'dead_letter')
    assert.equal(failureOutcome(Object.assign(new Error('down'), { code: 'ECONNREFUSED' }), 3, 3), 'retry')
  })
})

for (const adapter of busAdapters()) {
  describe(`consumer metrics (${adapter.name} bus)`, () => {
    it('times each event, counts retries and dead letters, and reads the dead-letter queue on scrape', async (t) => {
      const opened = await adapter.open({ maxAttempts: 2, retryBaseMs: 20 })
      t.after(() => opened.cleanup())
      const registry = new Registry()
      const bus = measuredBus(opened.bus, { registry, maxAttempts: 2 })
      assert.equal(bus.kind, opened.bus.kind)
      const group = 'svc.work'
      await bus.subscribe({ group, bindings: ['order.created'] }, async (e) => {
        if ((e.data as { orderId: string }).orderId === 'bad') throw new Error('cannot handle it')
      })
      await bus.publish(createEvent('/t', 'order.created', { orderId: 'good' }))
      await bus.publish(createEvent('/t', 'order.created', { orderId: 'bad' }))
      await waitFor(async () => await value(registry, 'gatehouse_consumer_dead_lettered_total', { consumer: group }) === 1, 20_000)
      assert.equal(await value(registry, 'gatehouse_consumer_retries_total', { consumer: group }), 1, 'the first failure was retried')
      assert.equal(await value(registry, 'gatehouse_consumer_processing_seconds_count', { consumer: group, outcome: 'ok' }), 1)
      assert.equal(await value(registry, 'gatehouse_consumer_processing_seconds_count', { consumer: group, outcome: 'failed' }), 2)
      await waitFor(async () => await value(registry, 'gatehouse_dead_letter_messages', { queue: group }) === 1, 20_000)
      assert.equal(await opened.bus.replayDeadLetters(group), 1)
    })
  })
}

describe('consumer metrics follow METRICS_ENABLED', () => {
  const definition = defineService({
    name: 'order',
    description: 'consumer metrics switch test',
    configSchema: Type.Object({}),
    async setup (_app, ctx) {
      await ctx.consume({ name: 'work', bindings: ['order.created'] }, async () => {})
    }
  })

  for (const enabled of [true, false]) {
    it(`${enabled ? 'measures' : 'does not wrap'} the bus with METRICS_ENABLED=${enabled}`, async (t) => {
      const svc = await startTestService(definition, { METRICS_ENABLED: String(enabled) })
      t.after(() => svc.cleanup())
      const names = (await svc.app.metricsRegistry.getMetricsAsJSON()).map(m => m.name)
      // Subscribing through the measured bus registers the consumer's series at once.
      assert.equal(names.includes('gatehouse_consumer_processing_seconds'), enabled)
      assert.equal(await value(svc.app.metricsRegistry, 'gatehouse_consumer_retries_total', { consumer: 'order.work' }), 0)
      assert.equal((await svc.app.metricsRegistry.getMetricsAsJSON()).some(m => m.name === 'gatehouse_consumer_retries_total' && m.values.length > 0), enabled)
    })
  }
})

describe('bound children', () => {
  it('binds a child once per label combination and reuses it', async (t) => {
    const registry = new Registry()
    const counter = new Counter({ name: 'bound_test_total', help: 'test', labelNames: ['a', 'b'] as const, registers: [registry] })
    const by = boundChildren(counter)
    const labels = t.mock.method(counter, 'labels')
    by('x', 'y').inc()
    by('x', 'y').inc()
    by('xy', '').inc()
    assert.equal(labels.mock.callCount(), 2, 'one bind per combination, "x","y" and "xy","" kept apart')
    assert.equal(await value(registry, 'bound_test_total', { a: 'x', b: 'y' }), 2)
    assert.equal(await value(registry, 'bound_test_total', { a: 'xy', b: '' }), 1)
  })
})
