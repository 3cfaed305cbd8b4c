import { after, before, describe, it } from 'node:test'
import assert from 'node:assert/strict'
import { connect } from 'amqplib'
import { migrate, KIT_MIGRATIONS } from '../src/db/index.ts'
import type { Db, Tx } from '../src/db/index.ts'
import { consumeOnce, createEvent, createOutboxRelay, enqueueEvent, openRabbitBus } from '../src/bus/index.ts'
import type { CloudEvent, DeliveryInfo, RabbitBus } from '../src/bus/index.ts'
import { openTestDb } from '../src/testing/test-db.ts'
import type { TestDb } from '../src/testing/test-db.ts'
import { busAdapters, waitFor } from '../src/testing/test-bus.ts'
import type { BusAdapter } from '../src/testing/test-bus.ts'
import { startTcpProxy } from '../src/testing/tcp-proxy.ts'
import type { TcpProxy } from '../src/testing/tcp-proxy.ts'

const amqpUrl = process.env.AMQP_URL

describe('rabbitmq bus faults', { skip: amqpUrl ? false : 'AMQP_URL is not set' }, () => {
  let testDb: TestDb
  let db: Db
  let proxy: TcpProxy
  let rabbit: BusAdapter

  before(async () => {
    testDb = await openTestDb('bus_faults')
    db = testDb.db
    await migrate(db, [KIT_MIGRATIONS])
    await db.exec('create table effects (consumer text not null, event_id text not null)')
    const target = new URL(amqpUrl!)
    proxy = await startTcpProxy(target.hostname, Number(target.port || 5672))
    rabbit = busAdapters().find(a => a.name === 'rabbitmq')!
  })
  after(async () => {
    await proxy.close()
    await testDb.cleanup()
  })

  const event = () => createEvent('/services/order', 'order.created', { orderId: 'o-1' }, 'user-1')

  const applyOnce = (consumer: string, e: CloudEvent) => consumeOnce(db, consumer, e, async (tx: Tx) => {
    await tx.query('insert into effects (consumer, event_id) values ($1, $2)', [consumer, e.id])
  })

  async function effectsOf (id: string): Promise<number> {
    const { rows } = await db.query<{ n: number }>('select count(*)::int as n from effects where event_id = $1', [id])
    return rows[0]!.n
  }

  async function outboxRow (id: string) {
    const { rows } = await db.query<{ status: string, attempts: number, last_error: string | null }>(
      'select status, attempts, last_error from outbox where id = $1', [id])
    return rows[0]!
  }

  it('keeps the outbox row queued while the broker is unreachable, then delivers it and the effect happens once', async (t) => {
    const { bus, cleanup } = await rabbit.open({ url: proxy.url(amqpUrl), publishTimeoutMs: 300 })
    t.after(cleanup)
    const handled: string[] = []
    await bus.subscribe({ group: 'outage', bindings: ['order.created'] }, async (e) => {
      await applyOnce('outage', e)
      handled.push(e.id)
    })

    proxy.cut()
    await waitFor(() => !bus.isConnected())
    await assert.rejects(bus.ping())
    const sent = event()
    await db.tx(tx => enqueueEvent(tx, sent))
    const relay = createOutboxRelay({ db, bus, pollMs: 50, retryBaseMs: 50 })
    t.after(() => relay.stop())
    assert.equal(await relay.flush(), 0)
    const waiting = await outboxRow(sent.id)
    assert.equal(waiting.status, 'queued')
    // flush keeps retrying while retries fall due, each one waiting out the publish timeout.
    assert.ok(waiting.attempts >= 1)
    assert.match(waiting.last_error ?? '', /timeout/)

    proxy.restore()
    relay.start()
    await waitFor(async () => (await outboxRow(sent.id)).status === 'sent')
    await waitFor(() => handled.includes(sent.id))
    assert.equal(bus.isConnected(), true)
    // Anything still in flight for the first event is ahead of this one in the queue.
    const sentinel = event()
    await bus.publish(sentinel)
    await waitFor(() => handled.includes(sentinel.id))
    assert.equal(await effectsOf(sent.id), 1)
  })

  it('redelivers a message whose ack was lost with the connection, and consumeOnce applies it once', async (t) => {
    const { bus, cleanup } = await rabbit.open({ url: proxy.url(amqpUrl) })
    t.after(cleanup)
    const deliveries: DeliveryInfo[] = []
    let published: Promise<void> = Promise.resolve()
    await bus.subscribe({ group: 'lost-ack', bindings: ['order.created'] }, async (e, info) => {
      deliveries.push(info)
      await applyOnce('lost-ack', e)
      if (deliveries.length === 1) {
        // The delivery can overtake the publisher's confirm; a lost confirm is another test.
        await published
        // The effect is committed; the connection dies before the ack can leave.
        proxy.cut()
      }
    })
    const sent = event()
    published = bus.publish(sent)
    await published
    await waitFor(() => deliveries.length === 1)
    await waitFor(() => !bus.isConnected())
    proxy.restore()
    await waitFor(() => deliveries.length === 2)
    assert.deepEqual(deliveries, [{ attempt: 1, redelivered: false }, { attempt: 1, redelivered: true }])
    assert.equal(await effectsOf(sent.id), 1)
    await waitFor(async () => (await bus.deadLetters('lost-ack')).length === 0 && bus.isConnected())
  })

  it('fails to open, within connectTimeoutMs, while the broker is unreachable', async (t) => {
    proxy.cut()
    t.after(() => proxy.restore())
    await assert.rejects(openRabbitBus({
      url: proxy.url(amqpUrl), prefix: 'unreachable.', prefetch: 1, maxAttempts: 1, retryBaseMs: 10, connectTimeoutMs: 300, reconnectMs: 50
    }), /timeout/)
  })

  it('recovers by itself when its queue and exchange are deleted under it', async (t) => {
    const { bus, cleanup } = await rabbit.open()
    t.after(cleanup)
    const got: string[] = []
    await bus.subscribe({ group: 'deleted', bindings: ['order.created'] }, async (e) => { got.push(e.id) })
    const { queues, exchanges } = (bus as RabbitBus).topology()
    const admin = await connect(amqpUrl!)
    const channel = await admin.createChannel()
    await channel.deleteQueue(queues.find(q => q.endsWith('.deleted'))!)
    await channel.deleteExchange(exchanges.find(x => x.endsWith('.events'))!)
    await admin.close()
    // Until the bus has reconnected and re-declared its topology, a publish fails or finds no queue.
    await waitFor(async () => {
      await bus.publish(event()).catch(() => {})
      return got.length > 0
    }, 10_000, 50)
    assert.equal(bus.isConnected(), true)
  })
})
