import { after, before, beforeEach, describe, it } from 'node:test'
import assert from 'node:assert/strict'
import { randomUUID } from 'node:crypto'
import { createRetentionJob, migrate, KIT_MIGRATIONS } from '../../src/db/index.ts'
import type { Db, RetentionRule } from '../../src/db/index.ts'
import { outboxRetentionRules } from '../../src/bus/index.ts'
import { openTestDb } from '../../src/testing/test-db.ts'
import type { TestDb } from '../../src/testing/test-db.ts'

const NOW = new Date('2030-06-01T12:00:00.000Z')
const HOUR = 3_600_000
const clock = () => NOW
const ago = (ms: number) => new Date(NOW.getTime() - ms)
const kitRules = outboxRetentionRules({ sentHours: 24, abandonedHours: 720, processedHours: 168 })

let testDb: TestDb
let db: Db

before(async () => {
  testDb = await openTestDb('retention')
  db = testDb.db
  await migrate(db, [KIT_MIGRATIONS])
  await db.exec('create table keyed (id int primary key, key text, created_at timestamptz not null)')
})
after(() => testDb.cleanup())
beforeEach(() => db.exec('delete from outbox; delete from processed_events; delete from keyed'))

async function outboxRow (status: 'queued' | 'sent' | 'abandoned', createdAt: Date, sentAt: Date | null = null): Promise<string> {
  const id = randomUUID()
  await db.query(`insert into outbox (id, type, event, status, created_at, sent_at)
    values ($1, 'test.happened', '{}', $2, $3, $4)`, [id, status, createdAt, sentAt])
  return id
}

async function processed (eventId: string, at: Date): Promise<void> {
  await db.query('insert into processed_events (consumer, event_id, processed_at) values ($1, $2, $3)', ['svc.test', eventId, at])
}

async function outboxIds (): Promise<string[]> {
  const { rows } = await db.query<{ id: string }>('select id from outbox order by id')
  return rows.map(r => r.id)
}

const count = async (table: string) => (await db.query<{ n: number }>(`select count(*)::int as n from ${table}`)).rows[0]!.n

describe('kit retention rules', () => {
  it('deletes sent outbox rows once past the window and keeps the rest, to the millisecond', async () => {
    const old = await outboxRow('sent', ago(48 * HOUR), ago(24 * HOUR + 1))
    const boundary = await outboxRow('sent', ago(48 * HOUR), ago(24 * HOUR))
    const recent = await outboxRow('sent', ago(48 * HOUR), ago(HOUR))
    // Never sent, however old: the relay still owes it to the broker.
    const queued = await outboxRow('queued', ago(1000 * HOUR))
    const removed = await createRetentionJob({ db, rules: kitRules, now: clock, intervalMs: 60_000 }).runOnce()
    assert.equal(removed['outbox.sent'], 1)
    assert.deepEqual(await outboxIds(), [boundary, recent, queued].sort())
    assert.equal((await outboxIds()).includes(old), false)
  })

  it('deletes abandoned outbox rows by when they were written', async () => {
    const old = await outboxRow('abandoned', ago(720 * HOUR + 1))
    const kept = await outboxRow('abandoned', ago(720 * HOUR))
    await createRetentionJob({ db, rules: kitRules, now: clock, intervalMs: 60_000 }).runOnce()
    const ids = await outboxIds()
    assert.deepEqual(ids, [kept])
    assert.equal(ids.includes(old), false)
  })

  it('forgets processed events after the window, not before', async () => {
    await processed('old', ago(168 * HOUR + 1))
    await processed('boundary', ago(168 * HOUR))
    await processed('new', NOW)
    const removed = await createRetentionJob({ db, rules: kitRules, now: clock, intervalMs: 60_000 }).runOnce()
    assert.equal(removed.processed_events, 1)
    const { rows } = await db.query<{ event_id: string }>('select event_id from processed_events order by event_id')
    assert.deepEqual(rows.map(r => r.event_id), ['boundary', 'new'])
  })

  it('moves the window with the injected clock', async () => {
    await processed('e', NOW)
    let now = NOW
    const job = createRetentionJob({ db, rules: kitRules, now: () => now, intervalMs: 60_000 })
    await job.runOnce()
    assert.equal(await count('processed_events'), 1)
    now = new Date(NOW.getTime() + 168 * HOUR + 1)
    await job.runOnce()
    assert.equal(await count('processed_events'), 0)
  })
})

describe('retention job', () => {
  async function expiredOutbox (n: number): Promise<void> {
    await db.query(`insert into outbox (id, type, event, status, created_at, sent_at)
      select gen_random_uuid(), 'test.happened', '{}', 'sent', $1, $1 from generate_series(1, $2)`, [ago(100 * HOUR), n])
  }

  it('removes everything due in batches, batch after batch', async () => {
    await expiredOutbox(23)
    await processed('live', NOW)
    const removed = await createRetentionJob({ db, rules: kitRules, now: clock, intervalMs: 60_000, batchSize: 4 }).runOnce()
    assert.deepEqual(removed, { 'outbox.sent': 23, 'outbox.abandoned': 0, processed_events: 0 })
    assert.equal(await count('outbox'), 0)
    assert.equal(await count('processed_events'), 1)
  })

  it('lets several runners work at once without failing or removing a row twice', async () => {
    await expiredOutbox(60)
    const live = await outboxRow('sent', NOW, NOW)
    const jobs = Array.from({ length: 4 }, () => createRetentionJob({ db, rules: kitRules, now: clock, intervalMs: 60_000, batchSize: 3 }))
    const results = await Promise.all(jobs.map(job => job.runOnce()))
    assert.equal(results.reduce((sum, r) => sum + r['outbox.sent']!, 0), 60)
    assert.deepEqual(await outboxIds(), [live])
  })

  it('clears columns instead of deleting when the rule says so, and stops once they are cleared', async () => {
    const rule: RetentionRule = { name: 'keyed.key', table: 'keyed', expired: 'key is not null and created_at < $1', clear: 'key = null', keepHours: 24 }
    await db.query('insert into keyed (id, key, created_at) select i, \'k\' || i, $1 from generate_series(1, 7) i', [ago(25 * HOUR)])
    await db.query('insert into keyed (id, key, created_at) values (100, \'fresh\', $1)', [ago(24 * HOUR)])
    const removed = await createRetentionJob({ db, rules: [rule], now: clock, intervalMs: 60_000, batchSize: 2 }).runOnce()
    assert.deepEqual(removed, { 'keyed.key': 7 })
    const { rows } = await db.query<{ id: number, key: string | null }>('select id, key from keyed where key is not null')
    assert.deepEqual(rows, [{ id: 100, key: 'fresh' }])
    assert.equal(await count('keyed'), 8)
  })

  it('keeps going with the other rules when one fails', async () => {
    await processed('old', ago(1000 * HOUR))
    const broken: RetentionRule = { name: 'missing', table: 'no_such_table', expired: 'at < $1', keepHours: 1 }
    const removed = await createRetentionJob({ db, rules: [broken, ...kitRules], now: clock, intervalMs: 60_000 }).runOnce()
    assert.equal(removed.processed_events, 1)
    assert.equal(removed.missing, 0)
  })

  it('runs a first pass on start and stops with nothing left running', async () => {
    await expiredOutbox(5)
    const job = createRetentionJob({ db, rules: kitRules, now: clock, intervalMs: 3_600_000, batchSize: 2 })
    job.start()
    await job.stop()
    // The pass in flight when stop() was called completed; the loop did not go on.
    assert.equal(await count('outbox'), 3)
  })
})
