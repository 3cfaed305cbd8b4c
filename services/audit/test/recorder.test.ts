import { describe, it } from 'node:test'
import assert from 'node:assert/strict'
import { createRecorder } from '../src/recorder.ts'
import type { EventInput } from '../src/audit-service.ts'

const input = (id: string): EventInput => ({ id, type: 'user.updated', source: '/services/test', time: new Date().toISOString(), data: null })

describe('the batched recorder', () => {
  it('puts what arrives during a commit into the next batch, in order', async () => {
    const batches: string[][] = []
    const record = createRecorder(async (inputs) => {
      batches.push(inputs.map(i => i.id))
      await new Promise(resolve => setTimeout(resolve, 10))
    })
    await Promise.all(['a', 'b', 'c', 'd'].map(id => record(input(id))))
    assert.deepEqual(batches, [['a'], ['b', 'c', 'd']])
  })

  it('retries a failed batch one event at a time, so only the bad event fails', async () => {
    const stored: string[] = []
    const record = createRecorder(async (inputs) => {
      await new Promise(resolve => setTimeout(resolve, 5))
      if (inputs.some(i => i.id === 'bad')) throw new Error('cannot store')
      stored.push(...inputs.map(i => i.id))
    })
    const results = await Promise.allSettled(['first', 'x', 'bad', 'y'].map(id => record(input(id))))
    assert.deepEqual(results.map(r => r.status), ['fulfilled', 'fulfilled', 'rejected', 'fulfilled'])
    assert.deepEqual(stored, ['first', 'x', 'y'])
  })
})
