import { describe, it } from 'node:test'
import assert from 'node:assert/strict'
import { decodeJwt } from 'jose'
import { waitFor } from '@app/kit/testing'
import { useAuth } from './helper.ts'

const DAY_MS = 86_400_000

describe('POST /api/v1/auth/refresh', () => {
  const svc = useAuth()

  it('rotates: a new pair for the same session; the spent token, after the reuse interval, gives token_reused and ends the session', async (t) => {
    const { id, email } = await svc.register()
    const first = await svc.login(email)
    const start = Date.now()
    t.mock.method(svc.auth.ctx, 'now', () => new Date(start))
    const res = await svc.refresh(first.refreshToken)
    assert.equal(res.statusCode, 200, res.body)
    const second = res.json()
    assert.notEqual(second.refreshToken, first.refreshToken)
    assert.equal(decodeJwt(second.accessToken).sid, decodeJwt(first.accessToken).sid)
    assert.deepEqual(decodeJwt(second.accessToken).roles, ['user'])

    // 11 s later: past the 10 s reuse interval.
    t.mock.method(svc.auth.ctx, 'now', () => new Date(start + 11_000))
    const replay = await svc.refresh(first.refreshToken)
    assert.equal(replay.statusCode, 401)
    assert.equal(replay.json().code, 'token_reused')
    const newest = await svc.refresh(second.refreshToken)
    assert.equal(newest.statusCode, 401)
    assert.equal((await svc.validate(second.accessToken)).valid, false)
    await waitFor(() => svc.events.find(e => e.type === 'auth.token_reuse_detected' && e.subject === id))
  })

  it('answers 401 unauthorized for a token it never issued', async () => {
    const res = await svc.refresh('A'.repeat(43))
    assert.equal(res.statusCode, 401)
    assert.equal(res.json().code, 'unauthorized')
  })

  it('answers 401 token_expired for a token unused for longer than the idle TTL', async (t) => {
    const { email } = await svc.register()
    const { refreshToken } = await svc.login(email)
    const later = new Date(Date.now() + 31 * DAY_MS)
    t.mock.method(svc.auth.ctx, 'now', () => later)
    const res = await svc.refresh(refreshToken)
    assert.equal(res.statusCode, 401)
    assert.equal(res.json().code, 'token_expired')
  })

  it('ends the session after the absolute TTL however often it was refreshed', async (t) => {
    const { email } = await svc.register()
    let { refreshToken } = await svc.login(email)
    const start = Date.now()
    let at = new Date(start)
    t.mock.method(svc.auth.ctx, 'now', () => at)
    for (const day of [29, 58, 87]) {
      at = new Date(start + day * DAY_MS)
      const res = await svc.refresh(refreshToken)
      assert.equal(res.statusCode, 200, `day ${day}: ${res.body}`)
      refreshToken = res.json().refreshToken
    }
    at = new Date(start + 91 * DAY_MS)
    const res = await svc.refresh(refreshToken)
    assert.equal(res.statusCode, 401)
    assert.equal(res.json().code, 'token_expired')
  })
})

describe('refresh with a tiny idle TTL', () => {
  const svc = useAuth({ AUTH_REFRESH_IDLE_TTL_SECONDS: '1' })

  it('expires an unused refresh token on the real clock', async () => {
    const { email } = await svc.register()
    const { refreshToken } = await svc.login(email)
    // Polls the clock, not the token: refreshing would spend it and restart the idle window.
    const issuedAt = Date.now()
    await waitFor(() => Date.now() - issuedAt > 1000, 5000, 50)
    const res = await svc.refresh(refreshToken)
    assert.equal(res.statusCode, 401)
    assert.equal(res.json().code, 'token_expired')
  })
})
