import { describe, it } from 'node:test'
import assert from 'node:assert/strict'
import { Registry } from 'prom-client'
import { createChainVerifyJob } from '../src/chain-verify-job.ts'
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
