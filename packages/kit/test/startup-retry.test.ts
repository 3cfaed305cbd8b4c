import { describe, it } from 'node:test'
import assert from 'node:assert/strict'
import { retryAtStartup } from '../src/service/startup-retry.ts'

const quiet = { warn () {} }
const refused = () => Object.assign(new Error('connect ECONNREFUSED 127.0.0.1:5432'), { code: 'ECONNREFUSED' })
const deadlock = () => Object.assign(new Error('deadlock detected'), { code: '40P01' })

describe('start-up retries', () => {
  it('waits out an unreachable database and a lost deadlock, with growing pauses', async () => {
    const failures = [refused(), refused(), deadlock()]
    const pauses: number[] = []
    const result = await retryAtStartup(async () => {
      const next = failures.shift()
      if (next) throw next
      return 'migrated'
    }, { what: 'db', deadlineMs: 60_000, log: quiet, sleep: async ms => { pauses.push(ms) } })
    assert.equal(result, 'migrated')
    assert.deepEqual(pauses, [250, 500, 1000])
  })

  it('gives up at once on a mistake that another try cannot fix', async () => {
    const syntax = Object.assign(new Error('syntax error at or near "tabel"'), { code: '42601' })
    let tries = 0
    await assert.rejects(retryAtStartup(async () => { tries++; throw syntax }, { what: 'db', deadlineMs: 60_000, log: quiet, sleep: async () => {} }), /syntax error/)
    assert.equal(tries, 1)
  })

  it('gives up when the next pause would pass the deadline', async () => {
    let tries = 0
    await assert.rejects(retryAtStartup(async () => { tries++; throw refused() }, { what: 'db', deadlineMs: 0, log: quiet, sleep: async () => {} }), /ECONNREFUSED/)
    assert.equal(tries, 1)
  })
})
