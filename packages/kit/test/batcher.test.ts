import { describe, it } from 'node:test'
import assert from 'node:assert/strict'
import { createBatcher } from '../src/bus/index.ts'

describe('createBatcher', () => {
  it('runs a lone call at once, and the calls made meanwhile together in the next batch', async () => {
    const batches: number[][] = []
    const double = createBatcher({ run: async (items: number[]) => { batches.push(items); return items.map(i => i * 2) } })
    const results = await Promise.all([1, 2, 3, 4].map(double))
    assert.deepEqual(results, [2, 4, 6, 8])
    assert.deepEqual(batches, [[1], [2, 3, 4]])
  })

  it('with gatherSiblings, runs the calls made in one synchronous loop as one batch', async () => {
    const batches: number[][] = []
    const echo = createBatcher({ run: async (items: number[]) => { batches.push(items); return items }, gatherSiblings: true })
    assert.deepEqual(await Promise.all([1, 2, 3, 4].map(echo)), [1, 2, 3, 4])
    assert.deepEqual(await echo(5), 5)
    assert.deepEqual(batches, [[1, 2, 3, 4], [5]])
  })

  it('keeps batches within maxBatch', async () => {
    const batches: number[][] = []
    const echo = createBatcher({ run: async (items: number[]) => { batches.push(items); return items }, maxBatch: 2 })
    await Promise.all([1, 2, 3, 4, 5, 6].map(echo))
    assert.deepEqual(batches, [[1], [2, 3], [4, 5], [6]])
  })

  it('runs a failed batch again one item at a time, so only the failing item rejects', async () => {
    const batches: number[][] = []
    const check = createBatcher({
      run: async (items: number[]) => {
        batches.push(items)
        if (items.includes(3)) throw new Error('three is bad')
        return items
      }
    })
    const results = await Promise.allSettled([1, 2, 3, 4].map(check))
    assert.deepEqual(results.map(r => r.status), ['fulfilled', 'fulfilled', 'rejected', 'fulfilled'])
    assert.deepEqual(batches, [[1], [2, 3, 4], [2], [3], [4]])
  })

  it('rejects the whole batch without retrying alone when retryAlone says no', async () => {
    let runs = 0
    const down = createBatcher({ run: async (): Promise<number[]> => { runs++; throw new Error('database away') }, retryAlone: () => false })
    const results = await Promise.allSettled([1, 2, 3].map(down))
    assert.deepEqual(results.map(r => r.status), ['rejected', 'rejected', 'rejected'])
    assert.equal(runs, 2)
  })

  it('starts a new batch for a call made after the previous ones settled', async () => {
    const batches: number[][] = []
    const echo = createBatcher({ run: async (items: number[]) => { batches.push(items); return items } })
    await echo(1)
    await echo(2)
    assert.deepEqual(batches, [[1], [2]])
  })
})
