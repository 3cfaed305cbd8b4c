import { describe, it } from 'node:test'
import assert from 'node:assert/strict'
import { createLocalBuckets } from '../src/rate-limit-bucket.ts'

describe('token buckets in this process', () => {
  it('lets the burst through at once, then refills at the rate', () => {
    let clock = 1_000_000
    const buckets = createLocalBuckets({ ratePerSecond: 2, burst: 3 }, () => clock)
    assert.deepEqual([1, 2, 3].map(() => buckets.take('a').remaining), [2, 1, 0])
    const refused = buckets.take('a')
    assert.equal(refused.allowed, false)
    assert.equal(refused.retryMs, 500)
    assert.equal(refused.limit, 3)
    assert.equal(refused.resetMs, 1500, 'three tokens at two a second')
    assert.equal(buckets.take('b').allowed, true, 'each key has its own bucket')
    clock += 499
    assert.equal(buckets.take('a').allowed, false)
    clock += 1
    assert.equal(buckets.take('a').allowed, true)
    assert.equal(buckets.take('a').allowed, false)
    clock += 10_000
    // Never more than the burst, however long the client waited.
    assert.equal([1, 2, 3, 4].filter(() => buckets.take('a').allowed).length, 3)
  })

  it('keeps the sensitive default (20/min, burst 20) at least as strict as the old 20-a-minute fixed windows', () => {
    let clock = 0
    const buckets = createLocalBuckets({ ratePerSecond: 20 / 60, burst: 20 }, () => clock)
    // A client asking every 100 ms for 10 minutes.
    const allowedAt: number[] = []
    for (; clock < 600_000; clock += 100) if (buckets.take('attacker').allowed) allowedAt.push(clock)
    for (const spanMs of [1000, 30_000, 60_000, 120_000, 600_000]) {
      let most = 0
      for (let i = 0, j = 0; i < allowedAt.length; i++) {
        while (allowedAt[i]! - allowedAt[j]! >= spanMs) j++
        most = Math.max(most, i - j + 1)
      }
      // The fixed windows let 20 through per window, and a span touches up to ceil(span/min) + 1 windows.
      const fixedWindowMost = 20 * (Math.ceil(spanMs / 60_000) + 1)
      assert.ok(most <= fixedWindowMost, `${most} in ${spanMs} ms`)
      assert.ok(most <= 20 + Math.ceil(spanMs / 3000), `${most} in ${spanMs} ms`)
    }
  })
})
