import { after, before, beforeEach, describe, it } from 'node:test'
import assert from 'node:assert/strict'
import { fileURLToPath } from 'node:url'
import { Registry } from 'prom-client'
import { migrate, openPostgres } from '@app/kit/db'
import type { Db } from '@app/kit/db'
import { openTestDb } from '@app/kit/testing'
import type { TestDb } from '@app/kit/testing'
import { chainVerifyLockKey, createChainVerifyJob } from '../src/chain-verify-job.ts'
import type { VerifyResult } from '../src/audit-service.ts'

const silent = { info () {}, error () {} }
const head = { seq: 3, hash: 'a'.repeat(64) }

async function gauge (registry: Registry, name: string): Promise<number> {
  const metric = (await registry.getMetricsAsJSON()).find(m => m.name === name)!
  return (metric.values as Array<{ value: number }>)[0]?.value ?? 0
}

describe('the periodic audit chain walk', () => {
  it('publishes an intact chain, then a broken one, with the time of the walk', async () => {
    const registry = new Registry()
    let result: VerifyResult = { ok: true, checked: 3, head }
    const job = createChainVerifyJob({ verify: async () => result, registry, log: silent, intervalMs: 0, now: () => new Date(1_700_000_000_000) })
    assert.equal(await gauge(registry, 'gatehouse_audit_chain_last_verify_timestamp_seconds'), 0, 'never walked yet')
    await job.runNow()
    assert.equal(await gauge(registry, 'gatehouse_audit_chain_broken'), 0)
    assert.equal(await gauge(registry, 'gatehouse_audit_chain_verified_entries'), 3)
    assert.equal(await gauge(registry, 'gatehouse_audit_chain_last_verify_timestamp_seconds'), 1_700_000_000)
    result = { ok: false, checked: 2, head, firstBroken: { seq: 2, eventId: 'e-2', reason: 'hash_mismatch' } }
    await job.runNow()
    assert.equal(await gauge(registry, 'gatehouse_audit_chain_broken'), 1)
    await job.stop()
  })

  it('counts a walk that could not finish and keeps the last verdict', async () => {
    const registry = new Registry()
    let fail = false
    const job = createChainVerifyJob({
      verify: async () => { if (fail) throw new Error('database unreachable'); return { ok: true, checked: 1, head } },
      registry,
      log: silent,
      intervalMs: 0,
      now: () => new Date(1_700_000_000_000)
    })
    await job.runNow()
    fail = true
    assert.equal(await job.runNow(), undefined)
    assert.equal(await gauge(registry, 'gatehouse_audit_chain_verify_failures_total'), 1)
    assert.equal(await gauge(registry, 'gatehouse_audit_chain_broken'), 0)
    assert.equal(await gauge(registry, 'gatehouse_audit_chain_last_verify_timestamp_seconds'), 1_700_000_000)
    await job.stop()
  })

  it('walks at start and again an interval after each walk, until stopped', async (t) => {
    t.mock.timers.enable({ apis: ['setTimeout'] })
    const registry = new Registry()
    let walks = 0
    const job = createChainVerifyJob({ verify: async () => { walks++; return { ok: true, checked: 0, head } }, registry, log: silent, intervalMs: 60_000, now: () => new Date() })
    const settle = () => new Promise(resolve => setImmediate(resolve))
    job.start()
    t.mock.timers.tick(0)
    await settle()
    assert.equal(walks, 1, 'the first walk runs at start')
    t.mock.timers.tick(59_999)
    await settle()
    assert.equal(walks, 1)
    t.mock.timers.tick(1)
    await settle()
    assert.equal(walks, 2, 'the next one an interval later')
    await job.stop()
    t.mock.timers.tick(60_000)
    await settle()
    assert.equal(walks, 2, 'none after stop')
  })
})

describe('the audit chain walk shared by instances on one database', () => {
  let testDb: TestDb
  let db: Db
  /** A second instance's own connections (a second pool on PostgreSQL; PGlite is one session). */
  let other: Db
  before(async () => {
    testDb = await openTestDb('chain_verify')
    db = testDb.db
    await migrate(db, [{ scope: 'audit', dir: fileURLToPath(new URL('../migrations', import.meta.url)) }])
    other = process.env.DATABASE_URL ? openPostgres({ url: process.env.DATABASE_URL, schema: db.schema, poolSize: 2 }) : db
  })
  after(async () => {
    if (other !== db) await other.close()
    await testDb.cleanup()
  })
  beforeEach(async () => { await db.query('delete from audit_chain_verify') })

  const clock = { at: 1_700_000_000_000 }
  const now = () => new Date(clock.at)
  const HOUR = 3_600_000

  function instance (on: Db, verify: () => Promise<VerifyResult>) {
    const registry = new Registry()
    let walks = 0
    const job = createChainVerifyJob({ verify: async () => { walks++; return verify() }, db: on, registry, log: silent, intervalMs: HOUR, now })
    return { job, registry, walks: () => walks }
  }

  it('one instance walks, the other skips and publishes the walker\'s result; a walk an interval old is walked again', async () => {
    let release!: () => void
    let started!: () => void
    const walking = new Promise<void>(resolve => { started = resolve })
    const a = instance(db, async () => {
      started()
      await new Promise<void>(resolve => { release = resolve })
      return { ok: false, checked: 5, head, firstBroken: { seq: 4, eventId: 'e-4', reason: 'hash_mismatch' } }
    })
    const b = instance(other, async () => ({ ok: true, checked: 5, head }))
    const first = a.job.runNow()
    await walking
    assert.equal(await b.job.runNow(), undefined, 'skipped while the other walks')
    assert.equal(b.walks(), 0)
    assert.equal(await gauge(b.registry, 'gatehouse_audit_chain_last_verify_timestamp_seconds'), 0, 'nothing to take over yet')
    release()
    assert.equal((await first)?.ok, false)
    assert.equal(await gauge(a.registry, 'gatehouse_audit_chain_broken'), 1, 'the walker publishes its result')
    assert.equal(await gauge(a.registry, 'gatehouse_audit_chain_verified_entries'), 5)

    clock.at += HOUR - 1
    assert.equal(await b.job.runNow(), undefined, 'a walk within the interval stands')
    assert.equal(b.walks(), 0)
    assert.equal(await gauge(b.registry, 'gatehouse_audit_chain_broken'), 1, 'the skipping instance reports the walker\'s result')
    assert.equal(await gauge(b.registry, 'gatehouse_audit_chain_verified_entries'), 5)
    assert.equal(await gauge(b.registry, 'gatehouse_audit_chain_last_verify_timestamp_seconds'), 1_700_000_000)

    clock.at += 1
    assert.equal((await b.job.runNow())?.ok, true, 'an interval later it walks again')
    assert.equal(b.walks(), 1)
    assert.equal(await gauge(b.registry, 'gatehouse_audit_chain_broken'), 0)
    assert.equal(await a.job.runNow(), undefined)
    assert.equal(await gauge(a.registry, 'gatehouse_audit_chain_broken'), 0, 'and the first instance takes that over')
    assert.equal(a.walks(), 1)
  })

  it('a walk that could not finish lets another instance walk at once', async () => {
    const a = instance(db, async () => { throw new Error('connection lost') })
    const b = instance(other, async () => ({ ok: true, checked: 2, head }))
    assert.equal(await a.job.runNow(), undefined)
    assert.equal(await gauge(a.registry, 'gatehouse_audit_chain_verify_failures_total'), 1)
    assert.equal((await b.job.runNow())?.ok, true)
    assert.equal(b.walks(), 1)
  })

  it('skips while another instance holds the advisory lock', { skip: !process.env.DATABASE_URL && 'PGlite is one session: a claim cannot overlap another' }, async () => {
    const b = instance(other, async () => ({ ok: true, checked: 2, head }))
    await db.tx(async (tx) => {
      await tx.query('select pg_advisory_xact_lock(hashtext($1))', [chainVerifyLockKey(db)])
      assert.equal(await b.job.runNow(), undefined)
    })
    assert.equal(b.walks(), 0)
    assert.equal((await b.job.runNow())?.ok, true, 'walks once the lock is free')
  })

  it('is not held up by the walk of a deployment in another schema of the same database', { skip: !process.env.DATABASE_URL && 'PGlite is one session: a claim cannot overlap another' }, async () => {
    const b = instance(other, async () => ({ ok: true, checked: 2, head }))
    await db.tx(async (tx) => {
      await tx.query('select pg_advisory_xact_lock(hashtext($1))', [chainVerifyLockKey({ ...db, schema: 'another_audit' })])
      assert.equal((await b.job.runNow())?.ok, true)
    })
  })

  it('at start, skips a recent walk and walks when its result is an interval old', async (t) => {
    const a = instance(db, async () => ({ ok: true, checked: 1, head }))
    await a.job.runNow()
    t.mock.timers.enable({ apis: ['setTimeout'] })
    const b = instance(other, async () => ({ ok: true, checked: 1, head }))
    // setTimeout is mocked: poll on the event loop (real database round trips) until the condition holds.
    const until = async (condition: () => boolean | Promise<boolean>) => {
      const deadline = Date.now() + 5000
      while (!await condition()) {
        assert.ok(Date.now() < deadline, 'condition not met')
        await new Promise(resolve => setImmediate(resolve))
      }
    }
    clock.at += HOUR / 4
    b.job.start()
    t.mock.timers.tick(0)
    await until(async () => await gauge(b.registry, 'gatehouse_audit_chain_last_verify_timestamp_seconds') > 0)
    assert.equal(b.walks(), 0, 'the walk a quarter of an interval ago stands')
    await new Promise(resolve => setImmediate(resolve)) // the next run is scheduled once the skip returned
    clock.at += HOUR * 3 / 4
    t.mock.timers.tick(HOUR * 3 / 4 - 1)
    for (let i = 0; i < 20; i++) await new Promise(resolve => setImmediate(resolve))
    assert.equal(b.walks(), 0, 'not before that walk is an interval old')
    t.mock.timers.tick(1)
    await until(() => b.walks() === 1)
    await b.job.stop()
  })
})
