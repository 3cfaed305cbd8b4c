import { describe, it } from 'node:test'
import assert from 'node:assert/strict'
import { waitFor } from '@app/kit/testing'
import { uniqueEmail, usePasswordStack } from './helper.ts'

const median = (values: number[]) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)]!

describe('forgot-password does its work in the background, for known and unknown addresses alike', () => {
  // Enough messages an hour that every request of the timing sample is handled the same way behind the answer.
  const stack = usePasswordStack({ PASSWORD_FORGOT_MAX_PER_HOUR: '1000' }, { userProxy: true })
  const forgot = async (email: string) => {
    const started = process.hrtime.bigint()
    const res = await stack.post('/api/v1/password/forgot', { email })
    return { res, ms: Number(process.hrtime.bigint() - started) / 1e6 }
  }

  it('answers 202 without the user service, and the link goes out once it is back', async () => {
    const { email } = await stack.register()
    stack.userProxy.cut()
    let known, unknown
    try {
      known = await forgot(email)
      unknown = await forgot(uniqueEmail('nobody'))
    } finally {
      stack.userProxy.restore()
    }
    assert.equal(known.res.statusCode, 202, known.res.body)
    assert.equal(unknown.res.statusCode, 202, unknown.res.body)
    assert.deepEqual(known.res.json(), unknown.res.json())
    const message = await waitFor(async () => (await stack.inbox(email)).find(m => m.subject?.startsWith('Reset')), undefined, 100)
    assert.match(message.text, /reset-password\?token=[A-Za-z0-9_-]{43}/)
  })

  it('answers a known and an unknown address with the same status and body, in the same time', async () => {
    const { email } = await stack.register()
    const known: number[] = []
    const unknown: number[] = []
    const bodies = new Set<string>()
    // Interleaved, so a busy moment of the machine falls on both alike.
    for (let i = 0; i < 15; i++) {
      for (const [address, times] of (i % 2 === 0 ? [[email, known], [uniqueEmail('nobody'), unknown]] : [[uniqueEmail('nobody'), unknown], [email, known]]) as Array<[string, number[]]>) {
        const { res, ms } = await forgot(address)
        assert.equal(res.statusCode, 202, res.body)
        bodies.add(res.body)
        times.push(ms)
      }
    }
    assert.equal(bodies.size, 1, 'one body for both')
    const [k, u] = [median(known), median(unknown)]
    // The request path is the same for both (one outbox row); what is left is noise, bounded generously for a loaded machine.
    assert.ok(k < 1000 && u < 1000, `medians ${k.toFixed(1)} ms (known) and ${u.toFixed(1)} ms (unknown)`)
    assert.ok(Math.abs(k - u) < 20 + 0.5 * Math.max(k, u), `medians ${k.toFixed(1)} ms (known) and ${u.toFixed(1)} ms (unknown) differ`)
  })
})
