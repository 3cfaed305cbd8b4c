import { describe, it } from 'node:test'
import assert from 'node:assert/strict'
import pino from 'pino'
import type { Db } from '@app/kit/db'
import type { EventEmitter } from '@app/kit/service'
import { waitFor } from '@app/kit/testing'
import type { Composer } from '../src/deliveries/compose.ts'
import type { Delivery, DeliveryStore, SentDelivery } from '../src/deliveries/delivery-store.ts'
import { createDeliveryWorker } from '../src/deliveries/worker.ts'
import type { Providers } from '../src/providers/create-providers.ts'

const outage = () => Object.assign(new Error('connect ECONNREFUSED 127.0.0.1:5432'), { code: 'ECONNREFUSED' })

/**
 * A worker over fakes: one queued email, a provider that accepts it, and a
 * database whose first `failingWrites` transactions fail as if PostgreSQL were cut.
 */
function workerWith ({ failingWrites, leaseMs }: { failingWrites: number, leaseMs: number }) {
  const delivery = { id: 'd1', channel: 'email', attempts: 1, maxAttempts: 5, template: 'welcome', userId: null, eventId: 'e1', eventType: 'user.registered' } as unknown as Delivery
  let claims = 0
  const sends: string[] = []
  const recorded: string[] = []
  const errors: string[] = []
  let writes = 0
  const store = {
    claimDue: async () => (claims++ === 0 ? [delivery] : []),
    markSentMany: async (sent: SentDelivery[]) => {
      recorded.push(...sent.map(s => s.delivery.id))
      return new Set(sent.map(s => s.delivery.id))
    },
    markFailed: async () => true,
    markDead: async () => true
  } as unknown as DeliveryStore
  const db = {
    tx: async (fn: (tx: unknown) => Promise<unknown>) => {
      if (writes++ < failingWrites) throw outage()
      return fn({})
    }
  } as unknown as Db
  const providers = {
    email: { name: 'smtp', send: async (_m: unknown, key: string) => { sends.push(key); return { ok: true, messageId: 'm1' } }, close: async () => {} },
    sms: { name: 'twilio', send: async () => ({ ok: true, messageId: 'm2' }), close: async () => {} }
  } as unknown as Providers
  const log = pino({ level: 'error' }, { write: (line: string) => { errors.push(JSON.parse(line).msg) } })
  const worker = createDeliveryWorker({
    db,
    store,
    providers,
    compose: (() => ({ to: 'a@example.com', subject: 's', text: 't' })) as unknown as Composer,
    events: { emit: async () => ({}), emitWith: async () => ({ rows: [], events: [] }) } as unknown as EventEmitter,
    log,
    pollMs: 60_000,
    concurrency: 1,
    leaseMs,
    retry: { baseMs: 1000, maxMs: 10_000 } as never
  })
  return { worker, sends, recorded, errors, writes: () => writes }
}

describe('the delivery worker while the database is away', () => {
  it('records a message the provider accepted once the database is back, and does not send it again', async () => {
    const w = workerWith({ failingWrites: 3, leaseMs: 60_000 })
    w.worker.start()
    await waitFor(() => w.recorded.length === 1)
    await w.worker.stop()
    assert.deepEqual(w.sends, ['d1'])
    assert.equal(w.writes(), 4)
    assert.deepEqual(w.errors, [])
  })

  it('gives up recording before its lease ends, leaving the row to be taken again', async () => {
    const w = workerWith({ failingWrites: Number.POSITIVE_INFINITY, leaseMs: 3000 })
    w.worker.start()
    await waitFor(() => w.errors.includes('recording a notification send failed'))
    await w.worker.stop()
    assert.deepEqual([w.sends, w.recorded], [['d1'], []])
  })
})
