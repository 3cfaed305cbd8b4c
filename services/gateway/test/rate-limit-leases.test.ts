import { describe, it } from 'node:test'
import assert from 'node:assert/strict'
import { takeTokens } from '../src/rate-limit-bucket.ts'
import type { BucketRule, BucketState, Decision } from '../src/rate-limit-bucket.ts'
import { chunkLimit, createLeases, LEASE_MS } from '../src/rate-limit-leases.ts'
import type { Reserve } from '../src/rate-limit-leases.ts'

/** Redis's side of the script: the same token-bucket arithmetic, on the test's clock. */
function sharedBuckets (rule: BucketRule) {
  const buckets = new Map<string, BucketState>()
  let reservations = 0
  const reserve: Reserve = async (id, want, now) => {
    reservations++
    let state = buckets.get(id)
    if (!state) buckets.set(id, state = { tokens: rule.burst, at: now })
    return takeTokens(state, rule, now, want)
  }
  return { reserve, reservations: () => reservations }
}

describe('token buckets shared through Redis, leased a few tokens at a time', () => {
  it('never lets more through than the shared bucket holds, however requests spread over the instances', async () => {
    const rule = { ratePerSecond: 100, burst: 640 }
    let clock = 0
    const shared = sharedBuckets(rule)
    const instances = [1, 2, 3].map(() => createLeases(rule, shared.reserve, () => clock))
    const allowed: number[] = []
    for (let i = 0; i < 6000; i++, clock += 1) {
      // Bursts at one instance, then another: the pattern that leaves leased tokens unspent.
      const decision = await instances[Math.floor(i / 7) % 3]!.take('ip:a')
      if (decision.allowed) allowed.push(clock)
    }
    // The bucket held 640 and refilled 600 in these 6 s.
    assert.ok(allowed.length <= 640 + 600, `${allowed.length} allowed`)
    assert.ok(allowed.length >= 0.9 * (640 + 600), `${allowed.length} allowed`)
    // Any one second: the burst, a second of refill, and at most a second's worth of leased tokens.
    for (let i = 0, j = 0; i < allowed.length; i++) {
      while (allowed[i]! - allowed[j]! >= 1000) j++
      assert.ok(i - j + 1 <= 640 + 100 + 100 * LEASE_MS / 1000, `${i - j + 1} in one second`)
    }
  })

  it('asks Redis about once per 64 requests for a busy key, and answers the rest synchronously', async () => {
    const rule = { ratePerSecond: 1_000_000, burst: 1_000_000 }
    const clock = 0
    const shared = sharedBuckets(rule)
    const leases = createLeases(rule, shared.reserve, () => clock)
    let synchronous = 0
    const decisions = await Promise.all(Array.from({ length: 1000 }, () => {
      const d = leases.take('user:busy')
      if (!(d instanceof Promise)) synchronous++
      return d
    }))
    assert.ok(decisions.every(d => d.allowed))
    assert.ok(shared.reservations() < 30, `${shared.reservations()} reservations`)
    synchronous = 0
    for (let i = 0; i < 1000; i++) {
      const d = leases.take('user:busy')
      if (d instanceof Promise) await d
      else synchronous++
    }
    assert.ok(synchronous >= 980, `${synchronous} of 1000 synchronous`)
  })

  it('sizes the leases to a steady key\'s pace: a user at 50 requests a second costs about one reservation a second', async () => {
    const rule = { ratePerSecond: 1_000_000, burst: 1_000_000 }
    let clock = 0
    const shared = sharedBuckets(rule)
    const leases = createLeases(rule, shared.reserve, () => clock)
    for (; clock < 20_000; clock += 20) assert.equal((await leases.take('user:steady')).allowed, true)
    assert.ok(shared.reservations() <= 40, `${shared.reservations()} reservations for 1000 requests in 20 s`)
  })

  it('spends small buckets one by one, and refuses until the next token without asking again', async () => {
    const rule = { ratePerSecond: 1 / 3, burst: 20 }
    assert.equal(chunkLimit(rule.burst), 1)
    let clock = 0
    const shared = sharedBuckets(rule)
    const leases = createLeases(rule, shared.reserve, () => clock)
    for (let i = 1; i <= 20; i++) {
      const d = await leases.take('sensitive:a')
      assert.equal(d.allowed, true)
      assert.equal(d.remaining, 20 - i)
    }
    assert.equal(shared.reservations(), 20)
    const refused: Decision = await leases.take('sensitive:a')
    assert.equal(refused.allowed, false)
    assert.equal(refused.retryMs, 3000)
    clock += 2999
    assert.equal((await leases.take('sensitive:a')).allowed, false)
    assert.equal(shared.reservations(), 21, 'the bucket is known to be empty until then')
    clock += 1
    assert.equal((await leases.take('sensitive:a')).allowed, true, 'a token refilled')
  })

  it('fails when Redis does, so that the store decides locally', async () => {
    const leases = createLeases({ ratePerSecond: 10, burst: 600 }, async () => { throw new Error('connection lost') })
    await assert.rejects(Promise.all([leases.take('ip:a'), leases.take('ip:a')]), /connection lost/)
  })
})
