import { describe, it } from 'node:test'
import assert from 'node:assert/strict'
import { randomBytes } from 'node:crypto'
import { decodeJwt } from 'jose'
import { callerHeadersFor, internalHeadersFor, waitFor } from '@app/kit/testing'
import { usePhoneStack } from './phone-stack.ts'

const PASSWORD = 'correct horse battery'
const bearer = (token: string) => ({ authorization: `Bearer ${token}` })
const claims = (token: string) => decodeJwt(token) as { sid: string, auth_time: number, iat: number }

describe('recent proof of identity: auth_time and POST /api/v1/auth/reauthenticate', () => {
  const stack = usePhoneStack()
  const s = () => stack.s
  const post = (url: string, payload: object | undefined, headers: Record<string, string> = {}) =>
    s().auth.app.inject({ method: 'POST', url, headers, ...(payload ? { payload } : {}) })

  async function register (): Promise<{ id: string, email: string }> {
    const email = `reauth.${randomBytes(5).toString('hex')}@example.com`
    const res = await s().user.app.inject({ method: 'POST', url: '/api/v1/users/register', payload: { email, password: PASSWORD } })
    assert.equal(res.statusCode, 201, res.body)
    return { id: res.json().id, email }
  }
  async function login (email: string) {
    const res = await post('/api/v1/auth/login', { email, password: PASSWORD })
    assert.equal(res.statusCode, 200, res.body)
    return res.json() as { accessToken: string, refreshToken: string }
  }
  /** The auth service's clock, moved by the test. */
  function clock (t: { mock: { method: Function } }) {
    let at = Date.now()
    t.mock.method(s().auth.ctx, 'now', () => new Date(at))
    return { get seconds () { return Math.floor(at / 1000) }, advance: (ms: number) => { at += ms } }
  }

  it('puts the login in auth_time, keeps it on refresh, and renews it with the password', async (t) => {
    const { email } = await register()
    const time = clock(t)
    const first = await login(email)
    const loggedInAt = time.seconds
    assert.equal(claims(first.accessToken).auth_time, loggedInAt)

    time.advance(600_000)
    const refreshed = (await post('/api/v1/auth/refresh', { refreshToken: first.refreshToken })).json()
    assert.equal(claims(refreshed.accessToken).auth_time, loggedInAt, 'a refresh proves nothing new')
    assert.equal(claims(refreshed.accessToken).iat, time.seconds)

    const res = await post('/api/v1/auth/reauthenticate', { password: PASSWORD }, bearer(refreshed.accessToken))
    assert.equal(res.statusCode, 200, res.body)
    const renewed = res.json()
    assert.equal(claims(renewed.accessToken).auth_time, time.seconds)
    assert.equal(claims(renewed.accessToken).sid, claims(first.accessToken).sid, 'the same session')
    for (const refreshToken of [renewed.refreshToken, refreshed.refreshToken]) {
      const next = await post('/api/v1/auth/refresh', { refreshToken })
      assert.equal(next.statusCode, 200, 'the new refresh token works, and so does the other tab\'s')
      assert.equal(claims(next.json().accessToken).auth_time, time.seconds)
    }
  })

  it('refuses a wrong password (401), then after 5 wrong ones answers 429 even to the right one', async () => {
    const { email } = await register()
    const pair = await login(email)
    for (let i = 0; i < 5; i++) {
      const wrong = await post('/api/v1/auth/reauthenticate', { password: 'not my password' }, bearer(pair.accessToken))
      assert.equal(wrong.statusCode, 401, `try ${i + 1}: ${wrong.body}`)
      assert.equal(wrong.json().code, 'invalid_credentials')
    }
    const capped = await post('/api/v1/auth/reauthenticate', { password: PASSWORD }, bearer(pair.accessToken))
    assert.equal(capped.statusCode, 429)
    assert.ok(Number(capped.headers['retry-after']) > 0)
  })

  it('counts wrong passwords sent in parallel before checking them: of 20 at once, 5 are checked (401) and 15 refused (429)', async () => {
    const { email } = await register()
    const pair = await login(email)
    const answers = await Promise.all(Array.from({ length: 20 }, () =>
      post('/api/v1/auth/reauthenticate', { password: 'not my password' }, bearer(pair.accessToken))))
    const statuses = answers.map(a => a.statusCode)
    assert.equal(statuses.filter(c => c === 401).length, 5, statuses.join(' '))
    assert.equal(statuses.filter(c => c === 429).length, 15, statuses.join(' '))
    assert.equal((await post('/api/v1/auth/reauthenticate', { password: PASSWORD }, bearer(pair.accessToken))).statusCode, 429)
  })

  it('forgets the wrong passwords once the right one is given', async () => {
    const { email } = await register()
    const pair = await login(email)
    for (let i = 0; i < 4; i++) assert.equal((await post('/api/v1/auth/reauthenticate', { password: 'not my password' }, bearer(pair.accessToken))).statusCode, 401)
    const right = await post('/api/v1/auth/reauthenticate', { password: PASSWORD }, bearer(pair.accessToken))
    assert.equal(right.statusCode, 200, right.body)
    for (let i = 0; i < 5; i++) {
      const wrong = await post('/api/v1/auth/reauthenticate', { password: 'not my password' }, bearer(right.json().accessToken))
      assert.equal(wrong.statusCode, 401, `after the reset, try ${i + 1}: ${wrong.body}`)
    }
  })

  it('asks for exactly one of password or otp (400), and a valid bearer token (401)', async () => {
    const { email } = await register()
    const pair = await login(email)
    for (const body of [{}, { password: PASSWORD, otp: '123456' }]) {
      const res = await post('/api/v1/auth/reauthenticate', body, bearer(pair.accessToken))
      assert.equal(res.statusCode, 400, JSON.stringify(body))
      assert.equal(res.json().code, 'validation_failed')
    }
    assert.equal((await post('/api/v1/auth/reauthenticate', { password: PASSWORD })).statusCode, 401)
    assert.equal((await post('/api/v1/auth/reauthenticate/start', {})).statusCode, 401)
    const unknownField = await post('/api/v1/auth/reauthenticate', { password: PASSWORD, code: '1' }, bearer(pair.accessToken))
    assert.equal(unknownField.statusCode, 400)
  })

  it('sends a code to a verified email and accepts it once; without a verified contact, 400 reauth_unavailable', async (t) => {
    const { id, email } = await register()
    const pair = await login(email)
    const none = await post('/api/v1/auth/reauthenticate/start', {}, bearer(pair.accessToken))
    assert.equal(none.statusCode, 400, none.body)
    assert.equal(none.json().code, 'reauth_unavailable')

    const verified = await s().user.app.inject({ method: 'POST', url: `/internal/users/${id}/email-verified`, payload: { email }, headers: internalHeadersFor('user', 'email-verification') })
    assert.ok(verified.statusCode < 300, verified.body)
    const started = await post('/api/v1/auth/reauthenticate/start', { channel: 'email' }, bearer(pair.accessToken))
    assert.equal(started.statusCode, 202, started.body)
    assert.equal(started.json().channel, 'email')
    const code = await waitFor(async () => {
      const items = (await s().notification.app.inject({ method: 'GET', url: `/dev/inbox?to=${encodeURIComponent(email)}` })).json().items as Array<{ text: string }>
      const found = items.map(m => /\b(\d{6})\b/.exec(m.text)?.[1]).find(Boolean)
      return found
    })
    const time = clock(t)
    const wrong = await post('/api/v1/auth/reauthenticate', { otp: code === '000000' ? '111111' : '000000' }, bearer(pair.accessToken))
    assert.equal(wrong.statusCode, 400, wrong.body)
    const res = await post('/api/v1/auth/reauthenticate', { otp: code }, bearer(pair.accessToken))
    assert.equal(res.statusCode, 200, res.body)
    assert.equal(claims(res.json().accessToken).auth_time, time.seconds)
    assert.notEqual((await post('/api/v1/auth/reauthenticate', { otp: code }, bearer(pair.accessToken))).statusCode, 200, 'a code works once')
  })

  it('turning two-step login off needs a recent proof: 403 reauth_required with an old one', async () => {
    const { id, email } = await register()
    const pair = await login(email)
    const sid = claims(pair.accessToken).sid
    const old = callerHeadersFor(id, ['user'], sid, { authTime: Math.floor(Date.now() / 1000) - 3600 })
    const stale = await s().auth.app.inject({ method: 'PUT', url: '/api/v1/auth/mfa', payload: { enabled: false }, headers: old })
    assert.equal(stale.statusCode, 403, stale.body)
    assert.equal(stale.json().code, 'reauth_required')
    const fresh = callerHeadersFor(id, ['user'], sid)
    const ok = await s().auth.app.inject({ method: 'PUT', url: '/api/v1/auth/mfa', payload: { enabled: false }, headers: fresh })
    assert.equal(ok.statusCode, 200, ok.body)
  })

  it('turning two-step login on needs a recent proof too, for every channel: a stolen token cannot enrol the thief\'s authenticator', async () => {
    const { id, email } = await register()
    const pair = await login(email)
    const sid = claims(pair.accessToken).sid
    const old = callerHeadersFor(id, ['user'], sid, { authTime: Math.floor(Date.now() / 1000) - 3600 })
    for (const channel of ['totp', 'email', 'sms'] as const) {
      const stale = await s().auth.app.inject({ method: 'PUT', url: '/api/v1/auth/mfa', payload: { enabled: true, channel }, headers: old })
      assert.equal(stale.statusCode, 403, `${channel}: ${stale.body}`)
      assert.equal(stale.json().code, 'reauth_required')
    }
    const on = await s().auth.app.inject({ method: 'PUT', url: '/api/v1/auth/mfa', payload: { enabled: true, channel: 'totp' }, headers: callerHeadersFor(id, ['user'], sid) })
    assert.equal(on.statusCode, 200, on.body)
  })
})
