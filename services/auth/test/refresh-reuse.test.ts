import { describe, it } from 'node:test'
import assert from 'node:assert/strict'
import { decodeJwt } from 'jose'
import { waitFor } from '@app/kit/testing'
import { useAuth } from './helper.ts'

interface Pair { accessToken: string, refreshToken: string }

describe('refresh reuse interval (AUTH_REFRESH_REUSE_INTERVAL_SECONDS, default 10)', () => {
  const svc = useAuth()

  /** The auth service's clock, fixed at `start` and moved by the test. */
  function clock (t: { mock: { method: Function } }) {
    let at = Date.now()
    t.mock.method(svc.auth.ctx, 'now', () => new Date(at))
    return { advance: (ms: number) => { at += ms } }
  }

  async function usable (pair: Pair, label: string): Promise<void> {
    assert.equal((await svc.validate(pair.accessToken)).valid, true, `${label}: access token`)
    const next = await svc.refresh(pair.refreshToken)
    assert.equal(next.statusCode, 200, `${label}: refresh token: ${next.body}`)
  }

  it('answers a spent token presented again within the interval with a working pair of the same session', async (t) => {
    const { id, email } = await svc.register()
    const time = clock(t)
    const first = await svc.login(email)
    const rotated = await svc.refresh(first.refreshToken)
    assert.equal(rotated.statusCode, 200)
    time.advance(10_000)
    const again = await svc.refresh(first.refreshToken)
    assert.equal(again.statusCode, 200, again.body)
    const retried = again.json() as Pair
    assert.equal(decodeJwt(retried.accessToken).sid, decodeJwt(first.accessToken).sid, 'the same session')
    assert.notEqual(retried.refreshToken, rotated.json().refreshToken)
    await usable(rotated.json(), 'the first answer')
    await usable(retried, 'the second answer')
    assert.equal(svc.events.some(e => e.type === 'auth.token_reuse_detected' && e.subject === id), false)
  })

  it('ends the whole session when the spent token comes back after the interval: 401 token_reused and auth.token_reuse_detected', async (t) => {
    const { id, email } = await svc.register()
    const time = clock(t)
    const first = await svc.login(email)
    const second = (await svc.refresh(first.refreshToken)).json() as Pair
    time.advance(10_001)
    const replay = await svc.refresh(first.refreshToken)
    assert.equal(replay.statusCode, 401)
    assert.equal(replay.json().code, 'token_reused')
    assert.equal((await svc.refresh(second.refreshToken)).statusCode, 401, 'the newest token of the family is dead too')
    assert.equal((await svc.validate(second.accessToken)).valid, false)
    const event = await waitFor(() => svc.events.find(e => e.type === 'auth.token_reuse_detected' && e.subject === id))
    assert.deepEqual(event.data, { userId: id, sessionId: decodeJwt(first.accessToken).sid, sessionEnded: true })
  })

  it('re-issues a spent token once: presented a third time, even within the interval, it ends the session (401 token_reused)', async (t) => {
    const { id, email } = await svc.register()
    const time = clock(t)
    const first = await svc.login(email)
    const rotated = await svc.refresh(first.refreshToken)
    assert.equal(rotated.statusCode, 200, rotated.body)
    time.advance(1000)
    const reissued = await svc.refresh(first.refreshToken)
    assert.equal(reissued.statusCode, 200, reissued.body)
    time.advance(1000)
    const third = await svc.refresh(first.refreshToken)
    assert.equal(third.statusCode, 401, third.body)
    assert.equal(third.json().code, 'token_reused')
    for (const pair of [rotated.json() as Pair, reissued.json() as Pair]) {
      assert.equal((await svc.refresh(pair.refreshToken)).statusCode, 401, 'every token of the family is dead')
      assert.equal((await svc.validate(pair.accessToken)).valid, false)
    }
    const event = await waitFor(() => svc.events.find(e => e.type === 'auth.token_reuse_detected' && e.subject === id))
    assert.deepEqual(event.data, { userId: id, sessionId: decodeJwt(first.accessToken).sid, sessionEnded: true })
  })

  it('three concurrent presentations of one token: one rotation, one re-issue, and the third ends the session', async () => {
    const { email } = await svc.register()
    const { refreshToken } = await svc.login(email)
    const answers = await Promise.all([svc.refresh(refreshToken), svc.refresh(refreshToken), svc.refresh(refreshToken)])
    assert.deepEqual(answers.map(a => a.statusCode).sort(), [200, 200, 401], answers.map(a => a.body).join(' | '))
  })

  it('50 trials of two concurrent refreshes with one token: no logout, both answers usable', async () => {
    const { id, email } = await svc.register()
    for (let trial = 0; trial < 50; trial++) {
      const { refreshToken } = await svc.login(email)
      const answers = await Promise.all([svc.refresh(refreshToken), svc.refresh(refreshToken)])
      assert.deepEqual(answers.map(a => a.statusCode), [200, 200], `trial ${trial}: ${answers.map(a => a.body).join(' | ')}`)
      const [a, b] = answers.map(r => r.json() as Pair)
      assert.notEqual(a!.refreshToken, b!.refreshToken)
      for (const [label, pair] of [['first', a!], ['second', b!]] as const) {
        assert.equal((await svc.validate(pair.accessToken)).valid, true, `trial ${trial}: ${label} access token`)
        assert.equal((await svc.refresh(pair.refreshToken)).statusCode, 200, `trial ${trial}: ${label} refresh token`)
      }
    }
    assert.equal(svc.events.some(e => e.type === 'auth.token_reuse_detected' && e.subject === id), false)
  })
})

describe('refresh reuse interval turned off (0)', () => {
  const svc = useAuth({ AUTH_REFRESH_REUSE_INTERVAL_SECONDS: '0' })

  it('lets exactly one of two concurrent refreshes with one token win; the other ends the session', async () => {
    const { email } = await svc.register()
    const { refreshToken } = await svc.login(email)
    const results = await Promise.all([svc.refresh(refreshToken), svc.refresh(refreshToken)])
    assert.deepEqual(results.map(r => r.statusCode).sort(), [200, 401])
    assert.equal(results.find(r => r.statusCode === 401)!.json().code, 'token_reused')
  })
})
