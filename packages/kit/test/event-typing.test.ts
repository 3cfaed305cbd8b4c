import { describe, it } from 'node:test'
import assert from 'node:assert/strict'
import type { Tx } from '../src/db/index.ts'
import type { ServiceContext, EventEmitter, EventSpec } from '../src/service/index.ts'
import { createEvent, dataOf } from '../src/bus/index.ts'

// Compile-time checks: `npm run check` fails when a line marked @ts-expect-error compiles.
async function producers (events: EventEmitter, tx: Tx): Promise<void> {
  await events.emit(tx, 'user.disabled', { userId: 'u-1', by: 'admin-1' }, 'u-1')
  await events.emit(tx, 'auth.session_ended', { userId: 'u-1', sessionId: 's-1', reason: 'deleted' })
  // @ts-expect-error an event type without a contract
  await events.emit(tx, 'user.teleported', { userId: 'u-1' })
  // @ts-expect-error a member of the wrong type
  await events.emit(tx, 'user.disabled', { userId: 'u-1', by: 42 })
  // @ts-expect-error a required member missing
  await events.emit(tx, 'user.disabled', { userId: 'u-1' })
  // @ts-expect-error a value outside the contract's set
  await events.emit(tx, 'auth.session_ended', { userId: 'u-1', sessionId: 's-1', reason: 'bored' })
  const withExtra = { userId: 'u-1', by: 'admin-1', password: 'hunter2' }
  // @ts-expect-error an undeclared member, even from a variable (no excess-property check there)
  await events.emit(tx, 'user.disabled', withExtra)
  const specs: EventSpec[] = [
    { type: 'user.enabled', data: { userId: 'u-1', by: 'a-1' } },
    // @ts-expect-error the data of another type
    { type: 'user.enabled', data: { userId: 'u-1', reason: 'deleted', sessionId: 's' } }
  ]
  assert.ok(specs)
}

async function consumers (ctx: ServiceContext<unknown>): Promise<void> {
  await ctx.consume({ name: 'typed', bindings: ['user.deleted', 'user.disabled'] }, async (event) => {
    if (event.type === 'user.deleted') {
      const self: boolean = event.data.deletedBy === 'self'
      assert.ok(self || !self)
    } else {
      const by: string = event.data.by
      assert.ok(by)
    }
    // @ts-expect-error not a member of either payload
    assert.ok(event.data.orderId)
  })
  await ctx.consume({ name: 'prefix', bindings: ['otp.#'] }, async (event) => {
    // @ts-expect-error a user.* type cannot arrive on otp.# bindings
    assert.ok(event.type === 'user.deleted')
  })
  await ctx.consume({ name: 'keys', bindings: ['otp_routing_key'], types: ['otp.requested'], prepare: async (event) => event.data.requestId }, async (event, _tx, requestId: string) => {
    const destination: string = event.data.destination
    assert.ok(destination && requestId)
  })
}

describe('event typing', () => {
  it('compiles producers and consumers against the contracts (checked by tsc)', () => {
    assert.equal(typeof producers, 'function')
    assert.equal(typeof consumers, 'function')
  })

  it('dataOf returns the payload of the named type and refuses another type', () => {
    const event = createEvent('/services/user', 'user.disabled', { userId: 'u-1', by: 'a-1' }, 'u-1')
    assert.equal(dataOf(event, 'user.disabled').by, 'a-1')
    assert.throws(() => dataOf(event, 'user.enabled'), { name: 'PermanentError', message: /expected a user.enabled event, got user.disabled/ })
  })
})
