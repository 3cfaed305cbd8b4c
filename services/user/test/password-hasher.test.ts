import { describe, it } from 'node:test'
import assert from 'node:assert/strict'
import { createGate, createPasswordHasher } from '../src/password-hasher.ts'

describe('password hasher', () => {
  it('runs at most `limit` tasks at once, the rest in arrival order, and frees a slot when a task fails', async () => {
    const run = createGate(2)
    let running = 0
    let most = 0
    const started: number[] = []
    const release: Array<() => void> = []
    const task = (i: number) => run(async () => {
      started.push(i)
      running++
      most = Math.max(most, running)
      await new Promise<void>(resolve => release.push(resolve))
      running--
      if (i === 0) throw new Error('failed')
      return i
    })
    const results = [0, 1, 2, 3].map(i => task(i).catch(() => 'failed'))
    await new Promise(resolve => setImmediate(resolve))
    assert.deepEqual(started, [0, 1])
    while (release.length > 0 || started.length < 4) {
      release.shift()?.()
      await new Promise(resolve => setImmediate(resolve))
    }
    assert.deepEqual(await Promise.all(results), ['failed', 1, 2, 3])
    assert.deepEqual(started, [0, 1, 2, 3])
    assert.equal(most, 2)
  })

  it('verifies what it hashed, refuses a wrong password, and answers false for a missing hash', async () => {
    const hasher = createPasswordHasher({ memoryCost: 1024, timeCost: 1, parallelism: 1 }, 1)
    const stored = await hasher.hash('correct horse battery')
    const checks = await Promise.all([hasher.verify(stored, 'correct horse battery'), hasher.verify(stored, 'wrong'), hasher.verify(undefined, 'x')])
    assert.deepEqual(checks, [true, false, false])
  })
})
