import { describe, it } from 'node:test'
import assert from 'node:assert/strict'
import { initialMore, moreReducer, shown } from '../../apps/console/src/admin/users/paging.ts'
import type { MoreState, Page } from '../../apps/console/src/admin/users/paging.ts'

const ok = (items: string[], nextCursor: string | null) => ({ ok: true as const, data: { items, nextCursor }, response: new Response() })
const first: Page<string> = { items: ['a1', 'a2'], nextCursor: 'a-2' }

describe('"show more" in the admin lists', () => {
  it('appends the next page and follows its cursor', () => {
    let s: MoreState<string> = moreReducer(initialMore, { type: 'reset', generation: 1 })
    s = moreReducer(s, { type: 'start', generation: 1 })
    assert.equal(s.loading, true)
    s = moreReducer(s, { type: 'done', generation: 1, page: ok(['a3'], 'a-3') })
    assert.deepEqual(shown(first, s), { items: ['a1', 'a2', 'a3'], nextCursor: 'a-3' })
    assert.equal(s.loading, false)
  })

  it('keeps what is shown when the next page fails', () => {
    let s: MoreState<string> = moreReducer(initialMore, { type: 'reset', generation: 1 })
    s = moreReducer(s, { type: 'start', generation: 1 })
    s = moreReducer(s, { type: 'done', generation: 1, page: { ok: false, problem: { status: 503, code: 'unavailable', title: 'Service Unavailable' } } })
    assert.deepEqual(shown(first, s), first)
    assert.equal(s.problem?.code, 'unavailable')
  })

  it('drops a page asked for before the filter changed (it belongs to the old listing)', () => {
    let s: MoreState<string> = moreReducer(initialMore, { type: 'reset', generation: 1 })
    s = moreReducer(s, { type: 'start', generation: 1 })
    // The filter changes while that page is under way: the first page loads again, then arrives.
    s = moreReducer(s, { type: 'reset', generation: 2 })
    s = moreReducer(s, { type: 'reset', generation: 3 })
    assert.equal(s.loading, false)
    const other: Page<string> = { items: ['b1'], nextCursor: 'b-1' }
    s = moreReducer(s, { type: 'done', generation: 1, page: ok(['a3'], 'a-3') })
    assert.deepEqual(shown(other, s), other)
    // A failure of that old request is not said under the new listing either.
    s = moreReducer(s, { type: 'done', generation: 1, page: { ok: false, problem: { status: 0, code: 'network_error', title: 'x' } } })
    assert.equal(s.problem, undefined)
    // The new listing's own "more" still works.
    s = moreReducer(s, { type: 'start', generation: 3 })
    s = moreReducer(s, { type: 'done', generation: 3, page: ok(['b2'], null) })
    assert.deepEqual(shown(other, s), { items: ['b1', 'b2'], nextCursor: null })
  })
})
