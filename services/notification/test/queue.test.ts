import { describe, it } from 'node:test'
import assert from 'node:assert/strict'
import { randomUUID } from 'node:crypto'
import type { Tx } from '@app/kit/db'
import { createDeliveryStore } from '../src/deliveries/delivery-store.ts'
import type { NewDelivery } from '../src/deliveries/delivery-store.ts'
import { createQueue } from '../src/deliveries/queue.ts'
import { uniqueEmail, useNotification } from './helper.ts'

describe('queueing deliveries in a consumer\'s transaction', () => {
  const n = useNotification()

  const delivery = (key: string): NewDelivery => ({
    idempotencyKey: key, channel: 'email', to: uniqueEmail('queue'), template: 'welcome', locale: 'en', variables: { name: 'Q' }
  })

  it('writes deliveries queued at the same time in one transaction with one insert, a repeated key once, and wakes the worker after commit', async () => {
    let wakes = 0
    const queue = createQueue(createDeliveryStore(n.svc.ctx.db, 5), { wake: () => { wakes++ } })
    const keys = Array.from({ length: 5 }, () => `test:${randomUUID()}`)
    let inserts = 0
    const queued = await n.svc.ctx.db.tx(async (tx) => {
      const counting: Tx = { ...tx, query: (sql, params) => { if (sql.includes('insert into deliveries')) inserts++; return tx.query(sql, params) } }
      const results = await Promise.all([...keys, keys[0]!].map(key => queue(delivery(key), counting)))
      assert.equal(wakes, 0)
      return results
    })
    // The first alone, the five queued while it ran together.
    assert.equal(inserts, 2)
    assert.equal(wakes, 1)
    assert.deepEqual(queued.map(q => q.created), [true, true, true, true, true, false])
    assert.equal(queued[5]!.id, queued[0]!.id)
    assert.equal((await n.deliveries('idempotency_key = any($1::text[])', [keys])).length, 5)
  })
})
