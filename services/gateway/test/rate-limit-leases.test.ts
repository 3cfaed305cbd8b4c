import { describe, it } from 'node:test'
import assert from 'node:assert/strict'
import { chunkLimit, createSharedCounter } from '../src/rate-limit-leases.ts'
import type { Reserve } from '../src/rate-limit-leases.ts'

const WINDOW_MS = 60_000

/** Redis's side of the script: fixed windows that start with their first addition, on the test's clock. */
function fakeRedis (now: () => number) {
  const counts = new Map<string, { count: number, resetAt: number }>()
  let reservations = 0
  const reserve: Reserve = async (key, windowMs, by) => {
    reservations++
    let entry = counts.get(key)
    if (!entry || entry.resetAt <= now()) {
      entry = { count: 0, resetAt: now() + windowMs }
      counts.set(key, entry)
    }
    entry.count += by
    return [entry.count, entry.resetAt - now()]
  }
  return { reserve, reservations: () => reservations }
}

describe('rate-limit counts shared through Redis, reserved a few at a time', () => {
  it('never lets more than the limit through, however requests spread over the instances', async () => {
    const redis = fakeRedis(Date.now)
    const instances = [createSharedCounter(redis.reserve), createSharedCounter(redis.reserve), createSharedCounter(redis.reserve)]
    const max = 640
    let allowed = 0
    for (let i = 0; i < 3000; i++) {
      // Bursts at one instance, then another: the pattern that leaves places unused.
      const instance = instances[Math.floor(i / 7) % 3]!
      const { current } = await instance.incr('ip:a', WINDOW_MS, max)
      if (current <= max) allowed++
    }
    assert.ok(allowed <= max, `${allowed} allowed`)
    // What the other instances hold and never use costs the client at most a few places each.
    assert.ok(allowed >= max - 2 * chunkLimit(max), `${allowed} allowed`)
  })

  it('asks Redis about once per 64 requests for a busy key, and counts them all', async () => {
    const redis = fakeRedis(Date.now)
    const counter = createSharedCounter(redis.reserve)
    const counted = await Promise.all(Array.from({ length: 1000 }, () => counter.incr('user:busy', WINDOW_MS, 1_000_000)))
    assert.deepEqual(counted.map(c => c.current).sort((a, b) => a - b), Array.from({ length: 1000 }, (_, i) => i + 1))
    assert.ok(redis.reservations() < 30, `${redis.reservations()} reservations`)
  })

  it('counts small limits one by one, and refuses the rest of the window without asking again', async () => {
    let clock = Date.now()
    const redis = fakeRedis(() => clock)
    const counter = createSharedCounter(redis.reserve, () => clock)
    for (let i = 1; i <= 20; i++) assert.equal((await counter.incr('sensitive:a', WINDOW_MS, 20)).current, i)
    assert.equal(redis.reservations(), 20)
    const refused = await counter.incr('sensitive:a', WINDOW_MS, 20)
    assert.ok(refused.current > 20)
    assert.ok(refused.ttl > 0 && refused.ttl <= WINDOW_MS)
    await counter.incr('sensitive:a', WINDOW_MS, 20)
    assert.equal(redis.reservations(), 20, 'the count is known to have reached the limit')
    clock += WINDOW_MS
    assert.equal((await counter.incr('sensitive:a', WINDOW_MS, 20)).current, 1, 'a new window')
  })

  it('fails when Redis does, so that the store counts locally', async () => {
    const counter = createSharedCounter(async () => { throw new Error('connection lost') })
    await assert.rejects(Promise.all([counter.incr('ip:a', WINDOW_MS, 600), counter.incr('ip:a', WINDOW_MS, 600)]), /connection lost/)
  })
})
