import { after, before, beforeEach, describe, it } from 'node:test'
import assert from 'node:assert/strict'
import { migrate, KIT_MIGRATIONS } from '../src/db/index.ts'
import type { Db, Tx } from '../src/db/index.ts'
import { consumeOnce, createEvent, createOutboxRelay, enqueueEvent, runWithOutbox, wasProcessed } from '../src/bus/index.ts'
import type { Bus, CloudEvent } from '../src/bus/index.ts'
import { openTestDb } from '../src/testing/test-db.ts'
import type { TestDb } from '../src/testing/test-db.ts'
import { busAdapters, waitFor } from '../src/testing/test-bus.ts'
import type { TestBus } from '../src/testing/test-bus.ts'

interface OutboxRow {
  status: string
  attempts: number
  last_error: string | null
  sent_at: Date | null
  exchange: string | null
  routing_key: string | null
  due_later: boolean
}

let testDb: TestDb
let db: Db

before(async () => {
  testDb = await openTestDb('outbox')
  db = testDb.db
  await migrate(db, [KIT_MIGRATIONS])
  await db.exec('create table effects (consumer text not null, event_id text not null)')
})
after(() => testDb.cleanup())

const event = (type = 'order.created') => createEvent('/services/order', type, { orderId: 'o-1' }, 'user-1')

async function row (id: string): Promise<OutboxRow | undefined> {
  const { rows } = await db.query<OutboxRow>(`select status, attempts, last_error, sent_at, exchange, routing_key,
    next_attempt_at > now() as due_later from outbox where id = $1`, [id])
  return rows[0]
}

async function effects (consumer: string): Promise<number> {
  const { rows } = await db.query<{ n: number }>('select count(*)::int as n from effects where consumer = $1', [consumer])
  return rows[0]!.n
}

/** Records what a consumer group receives. */
async function listen (bus: Bus, group: string, bindings = ['#']) {
  const got: CloudEvent[] = []
  await bus.subscribe({ group, bindings }, async (e) => { got.push(e) })
  return got
}

/** The adapter's bus whose publish fails until healed: a broker that refuses or times out. */
function flaky (bus: Bus) {
  let failing = true
  const wrapped: Bus = {
    ...bus,
    async publish (e, options) {
      if (failing) throw new Error('broker unreachable')
      return bus.publish(e, options)
    }
  }
  return { bus: wrapped, heal () { failing = false } }
}

for (const adapter of busAdapters()) {
  describe(`outbox relay on ${process.env.DATABASE_URL ? 'postgres' : 'pglite'} + ${adapter.name} bus`, () => {
    let opened: TestBus
    let bus: Bus

    before(async () => {
      opened = await adapter.open()
      bus = opened.bus
    })
    after(() => opened.cleanup())
    beforeEach(() => db.exec('delete from outbox'))

    it('publishes nothing when the enqueuing transaction rolls back', async () => {
      const got = await listen(bus, 'rollback')
      const relay = createOutboxRelay({ db, bus, pollMs: 60_000 })
      const ghost = event()
      await assert.rejects(db.tx(async (tx) => {
        await enqueueEvent(tx, ghost)
        throw new Error('business rule failed')
      }), /business rule failed/)
      assert.equal(await relay.flush(), 0)
      assert.equal(await row(ghost.id), undefined)
      // A later committed event arrives; the rolled-back one never went out before it.
      const real = event()
      await db.tx(tx => enqueueEvent(tx, real))
      assert.equal(await relay.flush(), 1)
      await waitFor(() => got.length === 1)
      assert.deepEqual(got.map(e => e.id), [real.id])
    })

    it('writes a state change and its events in one statement, or none of them', async () => {
      const got = await listen(bus, 'one-statement')
      const relay = createOutboxRelay({ db, bus, pollMs: 60_000 })
      const change = (outbox: string) => `with ${outbox} insert into effects (consumer, event_id) values ($1, $2) returning event_id`
      const [first, second] = [event('order.created'), event('order.paid')]
      const rows = await runWithOutbox<{ event_id: string }>(db, change, ['one-statement', first.id], [{ event: first }, { event: second, options: { routingKey: 'order.paid.eu' } }])
      assert.deepEqual(rows, [{ event_id: first.id }])
      assert.equal((await row(second.id))?.routing_key, 'order.paid.eu')

      const ghost = event()
      await assert.rejects(runWithOutbox(db, change, [null, ghost.id], [{ event: ghost }]))
      assert.equal(await row(ghost.id), undefined)
      assert.equal(await relay.flush(), 2)
      await waitFor(() => got.length === 2)
      assert.deepEqual(got.map(e => e.id).sort(), [first.id, second.id].sort())
    })

    it('publishes a committed event and marks its row sent only then', async () => {
      const got = await listen(bus, 'commit', ['order.created'])
      const relay = createOutboxRelay({ db, bus, pollMs: 60_000 })
      const sent = event()
      await db.tx(tx => enqueueEvent(tx, sent))
      assert.equal((await row(sent.id))!.status, 'queued')
      assert.equal(await relay.flush(), 1)
      const published = (await row(sent.id))!
      assert.equal(published.status, 'sent')
      assert.equal(published.attempts, 0)
      assert.ok(published.sent_at)
      await waitFor(() => got.length === 1)
      assert.deepEqual(got[0], sent)
      assert.equal(await relay.flush(), 0, 'a sent row is not published again')
    })

    it('publishes right after commit when woken from tx.onCommit, without waiting for the poll', async (t) => {
      const got = await listen(bus, 'wake')
      const relay = createOutboxRelay({ db, bus, pollMs: 60_000 })
      t.after(() => relay.stop())
      relay.start()
      const sent = event()
      await db.tx(async (tx) => {
        await enqueueEvent(tx, sent)
        tx.onCommit(() => relay.wake())
      })
      await waitFor(() => got.length === 1)
      assert.equal(got[0]!.id, sent.id)
      await waitFor(async () => (await row(sent.id))!.status === 'sent')
    })

    it('keeps a row queued with attempts and the error when publish fails, and publishes it on a later pass', async () => {
      const got = await listen(bus, 'flaky')
      const broker = flaky(bus)
      const relay = createOutboxRelay({ db, bus: broker.bus, pollMs: 60_000, retryBaseMs: 60_000 })
      const sent = event()
      await db.tx(tx => enqueueEvent(tx, sent))
      assert.equal(await relay.flush(), 0)
      const failed = (await row(sent.id))!
      assert.equal(failed.status, 'queued')
      assert.equal(failed.attempts, 1)
      assert.equal(failed.last_error, 'broker unreachable')
      assert.equal(failed.sent_at, null)
      assert.equal(failed.due_later, true, 'backed off')
      assert.equal(await relay.flush(), 0, 'not retried before its backoff elapsed')
      broker.heal()
      // The backoff elapses.
      await db.query('update outbox set next_attempt_at = now() where id = $1', [sent.id])
      assert.equal(await relay.flush(), 1)
      assert.equal((await row(sent.id))!.status, 'sent')
      assert.equal((await row(sent.id))!.last_error, null)
      await waitFor(() => got.length === 1)
      assert.equal(got[0]!.id, sent.id)
    })

    it('abandons a row after maxAttempts failed publishes', async () => {
      const broker = flaky(bus)
      const relay = createOutboxRelay({ db, bus: broker.bus, pollMs: 60_000, retryBaseMs: 1, maxAttempts: 3 })
      const doomed = event()
      await db.tx(tx => enqueueEvent(tx, doomed))
      await waitFor(async () => { await relay.flush(); return (await row(doomed.id))!.status === 'abandoned' })
      assert.equal((await row(doomed.id))!.attempts, 3)
      broker.heal()
      assert.equal(await relay.flush(), 0, 'an abandoned row is never retried')
    })

    it('stores the exchange and routing key and publishes to them', async () => {
      const got: CloudEvent[] = []
      await bus.subscribe({ group: 'otp', exchange: 'verification', queue: 'otp_queue', bindings: ['otp_routing_key'] }, async (e) => { got.push(e) })
      const relay = createOutboxRelay({ db, bus, pollMs: 60_000 })
      const sent = event('otp.requested')
      await db.tx(tx => enqueueEvent(tx, sent, { exchange: 'verification', routingKey: 'otp_routing_key' }))
      const stored = (await row(sent.id))!
      assert.equal(stored.exchange, 'verification')
      assert.equal(stored.routing_key, 'otp_routing_key')
      assert.equal(await relay.flush(), 1)
      await waitFor(() => got.length === 1)
      assert.equal(got[0]!.id, sent.id)
    })

    it('lets two relays drain one table without publishing a row twice', async () => {
      const published: string[] = []
      const counting: Bus = { ...bus, async publish (e, options) { published.push(e.id); return bus.publish(e, options) } }
      const events = Array.from({ length: 30 }, () => event())
      await db.tx(async (tx) => { for (const e of events) await enqueueEvent(tx, e) })
      const one = createOutboxRelay({ db, bus: counting, pollMs: 60_000, batchSize: 4 })
      const two = createOutboxRelay({ db, bus: counting, pollMs: 60_000, batchSize: 4 })
      const [a, b] = await Promise.all([one.flush(), two.flush()])
      assert.equal(a + b, 30)
      assert.deepEqual([...published].sort(), events.map(e => e.id).sort())
      const { rows } = await db.query<{ n: number }>("select count(*)::int as n from outbox where status = 'sent'")
      assert.equal(rows[0]!.n, 30)
    })

    it('applies a delivered-twice event once when the consumer uses consumeOnce', async () => {
      const seen: CloudEvent[] = []
      await bus.subscribe({ group: 'dedupe', bindings: ['order.created'] }, async (e) => {
        await consumeOnce(db, `dedupe-${adapter.name}`, e, async (tx) => {
          await tx.query('insert into effects (consumer, event_id) values ($1, $2)', [`dedupe-${adapter.name}`, e.id])
        })
        seen.push(e)
      })
      const sent = event()
      await bus.publish(sent)
      await bus.publish(sent)
      await waitFor(() => seen.length === 2)
      assert.equal(await effects(`dedupe-${adapter.name}`), 1)
    })
  })
}

describe('consumeOnce', () => {
  const insertEffect = (consumer: string, e: CloudEvent) => async (tx: Tx) => {
    await tx.query('insert into effects (consumer, event_id) values ($1, $2)', [consumer, e.id])
  }

  it('runs the effect for the first delivery and skips the same event afterwards', async () => {
    const e = event()
    assert.equal(await consumeOnce(db, 'sequential', e, insertEffect('sequential', e)), true)
    assert.equal(await consumeOnce(db, 'sequential', e, insertEffect('sequential', e)), false)
    assert.equal(await effects('sequential'), 1)
  })

  it('runs the effect once when the same event is consumed concurrently', async () => {
    const e = event()
    const results = await Promise.all([
      consumeOnce(db, 'concurrent', e, insertEffect('concurrent', e)),
      consumeOnce(db, 'concurrent', e, insertEffect('concurrent', e))
    ])
    assert.deepEqual([...results].sort(), [false, true])
    assert.equal(await effects('concurrent'), 1)
  })

  it('rolls the marker back with a failing effect, so the retry runs it', async () => {
    const e = event()
    await assert.rejects(consumeOnce(db, 'failing', e, async (tx) => {
      await insertEffect('failing', e)(tx)
      throw new Error('smtp down')
    }), /smtp down/)
    assert.equal(await effects('failing'), 0)
    assert.equal(await consumeOnce(db, 'failing', e, insertEffect('failing', e)), true)
    assert.equal(await effects('failing'), 1)
  })

  it('applies events consumed at the same time in one shared transaction, each once', async () => {
    let transactions = 0
    const counting: Db = { ...db, tx: (fn) => { transactions++; return db.tx(fn) } }
    const events = Array.from({ length: 10 }, () => event())
    const results = await Promise.all(events.map(e => consumeOnce(counting, 'shared', e, insertEffect('shared', e))))
    assert.deepEqual(results, events.map(() => true))
    assert.equal(await effects('shared'), 10)
    // The first alone, the nine that arrived while it ran together.
    assert.equal(transactions, 2)
  })

  it('writes the outbox rows that a batch\'s effects emit side by side with one insert', async () => {
    let transactions = 0
    let statements = 0
    const counting: Db = {
      ...db,
      tx: (fn) => {
        transactions++
        return db.tx(tx => fn(Object.assign(Object.create(tx) as Tx, { query: (...args: Parameters<Tx['query']>) => { statements++; return tx.query(...args) } })))
      }
    }
    const events = Array.from({ length: 20 }, () => event())
    const emitted = events.map(() => event())
    await Promise.all(events.map((e, i) => consumeOnce(counting, 'emitting', e, tx => enqueueEvent(tx, emitted[i]!))))
    const { rows } = await db.query<{ n: number }>('select count(*)::int as n from outbox where id = any($1::uuid[])', [emitted.map(e => e.id)])
    assert.equal(rows[0]!.n, 20)
    // Each transaction: its markers, then its outbox rows (one insert each before: 22 statements).
    assert.equal(transactions, 2)
    assert.equal(statements, 4)
  })

  it('lets a failing effect fail alone: the events that shared its transaction are applied', async () => {
    const [a, bad, b] = [event(), event(), event()]
    const failing = async () => { throw new Error('cannot apply') }
    const results = await Promise.allSettled([
      consumeOnce(db, 'isolated', a, insertEffect('isolated', a)),
      consumeOnce(db, 'isolated', b, insertEffect('isolated', b)),
      consumeOnce(db, 'isolated', bad, failing)
    ])
    assert.deepEqual(results.map(r => r.status), ['fulfilled', 'fulfilled', 'rejected'])
    assert.equal(await effects('isolated'), 2)
    assert.equal(await wasProcessed(db, 'isolated', bad.id), false)
    assert.deepEqual(await Promise.all([a, b, bad].map(e => wasProcessed(db, 'isolated', e.id))), [true, true, false])
  })

  it('keeps consumers apart: each one applies the same event once', async () => {
    const e = event()
    assert.equal(await consumeOnce(db, 'audit', e, insertEffect('audit', e)), true)
    assert.equal(await consumeOnce(db, 'notification', e, insertEffect('notification', e)), true)
    assert.equal(await effects('audit'), 1)
    assert.equal(await effects('notification'), 1)
  })
})
