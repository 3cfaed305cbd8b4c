import { describe, it } from 'node:test'
import assert from 'node:assert/strict'
import { createExchanges } from '../src/upstream-exchange.ts'
import type { CancelReason } from '../src/upstream-exchange.ts'

/** Exchanges on a clock the test moves; the sweep is called by hand. */
function onClock (timeoutMs: number) {
  const clock = { now: 0 }
  const counted: Array<[string, CancelReason]> = []
  const exchanges = createExchanges({ timeoutMs, now: () => clock.now, counted: (upstream, reason) => counted.push([upstream, reason]), tickMs: 60_000 })
  return { clock, counted, exchanges }
}

describe('the deadline list', () => {
  it('expires each exchange at its deadline, in the order they started, and no other', (t) => {
    const { clock, counted, exchanges } = onClock(100)
    t.after(() => exchanges.close())
    const a = exchanges.start('user')
    clock.now = 40
    const b = exchanges.start('order')
    clock.now = 99
    exchanges.sweep()
    assert.equal(a.cancelled, undefined, 'not a millisecond early')
    clock.now = 100
    exchanges.sweep()
    assert.equal(a.cancelled, 'deadline')
    assert.equal(b.cancelled, undefined)
    assert.equal(exchanges.size, 1)
    clock.now = 140
    exchanges.sweep()
    assert.equal(b.cancelled, 'deadline')
    assert.deepEqual(counted, [['user', 'deadline'], ['order', 'deadline']])
    assert.equal(exchanges.size, 0)
  })

  it('never expires a finished exchange, wherever it was in the list', (t) => {
    const { clock, counted, exchanges } = onClock(100)
    t.after(() => exchanges.close())
    const started = [0, 1, 2, 3].map(i => { clock.now = i; return exchanges.start(`u${i}`) })
    exchanges.finish(started[0]!)
    exchanges.finish(started[2]!)
    exchanges.finish(started[3]!)
    assert.deepEqual([...exchanges.waiting()], [['u1', 1]])
    clock.now = 1000
    exchanges.sweep()
    assert.deepEqual(counted, [['u1', 'deadline']])
    assert.deepEqual(started.map(e => e.cancelled), [undefined, 'deadline', undefined, undefined])
  })

  it('counts a client gone once, and not after the deadline or the answer\'s head', (t) => {
    const { clock, counted, exchanges } = onClock(100)
    t.after(() => exchanges.close())
    const gone = exchanges.start('user')
    gone.clientClosed()
    gone.clientClosed()
    const late = exchanges.start('user')
    const answered = exchanges.start('user')
    exchanges.finish(answered)
    answered.clientClosed()
    clock.now = 100
    exchanges.sweep()
    late.clientClosed()
    assert.deepEqual(counted, [['user', 'client_closed'], ['user', 'deadline']])
    assert.equal(exchanges.size, 0)
  })

  it('fails an attempt at once after its exchange was cancelled, sending nothing', async (t) => {
    const { exchanges } = onClock(100)
    t.after(() => exchanges.close())
    const exchange = exchanges.start('user')
    exchange.clientClosed()
    const dispatcher = { dispatch: () => assert.fail('dispatched') } as unknown as Parameters<typeof exchange.dispatch>[0]
    const outcome = await exchange.dispatch(dispatcher, { path: '/', method: 'GET' })
    assert.ok('failed' in outcome)
  })
})
