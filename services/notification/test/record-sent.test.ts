import { describe, it } from 'node:test'
import assert from 'node:assert/strict'
import { randomUUID } from 'node:crypto'
import type { Db } from '@app/kit/db'
import { createDeliveryStore } from '../src/deliveries/delivery-store.ts'
import type { Delivery } from '../src/deliveries/delivery-store.ts'
import { createSentRecorder } from '../src/deliveries/record-sent.ts'
import { uniqueEmail, useNotification } from './helper.ts'

describe('recording accepted sends', () => {
  const n = useNotification()

  /** A row being sent by attempt `attempts`, its lease far off (the running worker leaves it alone). */
  async function sending (attempts = 1): Promise<Delivery> {
    const id = randomUUID()
    const store = createDeliveryStore(n.svc.ctx.db, 5)
    await n.svc.ctx.db.query(`insert into deliveries (id, idempotency_key, channel, recipient, template, locale, variables, status, attempts, max_attempts, next_attempt_at)
      values ($1, $2, 'email', $3, 'welcome', 'en', '{"name":"Batch"}'::jsonb, 'sending', $4, 5, now() + interval '1 hour')`,
    [id, `test:${id}`, uniqueEmail('record'), attempts])
    return (await store.findById(id))!
  }

  function recorder () {
    const db = n.svc.ctx.db
    let transactions = 0
    const counting: Db = { ...db, tx: (fn) => { transactions++; return db.tx(fn) } }
    const record = createSentRecorder({ db: counting, store: createDeliveryStore(counting, 5), events: n.svc.ctx.events })
    return { record, transactions: () => transactions }
  }

  async function sentEvents (ids: string[]): Promise<string[]> {
    const { rows } = await n.svc.ctx.db.query<{ id: string }>(
      'select event->\'data\'->>\'deliveryId\' as id from outbox where type = \'notification.sent\' and event->\'data\'->>\'deliveryId\' = any($1::text[])', [ids])
    return rows.map(r => r.id).sort()
  }

  it('records sends that finish together in one transaction, each with its notification.sent event', async () => {
    const rows = await Promise.all(Array.from({ length: 6 }, () => sending()))
    const { record, transactions } = recorder()
    await Promise.all(rows.map((delivery, i) => record({ delivery, provider: 'smtp', messageId: `m-${i}` })))
    const stored = await n.deliveries('id = any($1::uuid[])', [rows.map(r => r.id)])
    assert.deepEqual(stored.map(r => r.status), rows.map(() => 'sent'))
    assert.deepEqual(await sentEvents(rows.map(r => r.id)), rows.map(r => r.id).sort())
    // The first alone, the five that finished while it committed together.
    assert.equal(transactions(), 2)
  })

  it('leaves a row another attempt took unrecorded and unannounced, and records the rest of its batch', async () => {
    const [mine, taken] = [await sending(1), await sending(2)]
    const { record } = recorder()
    // `taken` as an earlier attempt saw it: attempt 1, since superseded by attempt 2.
    await Promise.all([
      record({ delivery: mine, provider: 'smtp', messageId: 'm-mine' }),
      record({ delivery: { ...taken, attempts: 1 }, provider: 'smtp', messageId: 'm-late' })
    ])
    const [a, b] = [(await n.deliveries('id = $1', [mine.id]))[0]!, (await n.deliveries('id = $1', [taken.id]))[0]!]
    assert.deepEqual([a.status, b.status], ['sent', 'sending'])
    assert.deepEqual(await sentEvents([mine.id, taken.id]), [mine.id])
  })
})
