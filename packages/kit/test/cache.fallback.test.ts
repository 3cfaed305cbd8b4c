import { describe, it } from 'node:test'
import assert from 'node:assert/strict'
import { createMemoryCache, withLocalFallback } from '../src/cache/index.ts'
import type { Cache } from '../src/cache/index.ts'

const quiet = { warn () {}, info () {} }

/** A shared cache that can be switched off, like Redis going away and coming back. */
function flakyCache () {
  const real = createMemoryCache()
  let up = true
  const guard = <A extends unknown[], R>(fn: (...args: A) => Promise<R>) => async (...args: A): Promise<R> => {
    if (!up) throw new Error('connection refused')
    return fn(...args)
  }
  const cache: Cache = {
    kind: 'redis',
    get: guard(real.get),
    set: guard(real.set),
    setIfAbsent: guard(real.setIfAbsent),
    delete: guard(real.delete),
    getAndDelete: guard(real.getAndDelete),
    incr: guard(real.incr),
    admitInOrder: guard(real.admitInOrder),
    ttl: guard(real.ttl),
    ping: guard(real.ping),
    close: real.close
  }
  return { cache, real, down: () => { up = false }, up: () => { up = true } }
}

describe('cache with a local fallback', () => {
  it('counts per instance while the shared cache fails, reports it, and goes back when it recovers', async () => {
    const shared = flakyCache()
    const cache = withLocalFallback(shared.cache, quiet)
    assert.equal(await cache.incr('n', 60), 1)
    assert.equal(cache.isDegraded(), false)

    shared.down()
    assert.equal(await cache.incr('n', 60), 1, 'the local counter starts on its own')
    assert.equal(await cache.incr('n', 60), 2)
    assert.equal(cache.isDegraded(), true)

    shared.up()
    assert.equal(await cache.incr('n', 60), 2, 'the shared counter continues where it was')
    assert.equal(cache.isDegraded(), false)
  })

  it('passes a memory cache through untouched and is never degraded', async () => {
    const cache = withLocalFallback(createMemoryCache(), quiet)
    await cache.set('k', 'v', 60)
    assert.equal(await cache.get('k'), 'v')
    assert.equal(cache.isDegraded(), false)
  })
})
