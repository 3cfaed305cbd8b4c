import { describe, it } from 'node:test'
import assert from 'node:assert/strict'
import { randomBytes } from 'node:crypto'
import { generate } from 'otplib'
import { callerHeadersFor, waitFor } from '@app/kit/testing'
import { usePhoneStack } from './phone-stack.ts'

const PASSWORD = 'correct horse battery'

describe('two-step login', () => {
  const stack = usePhoneStack()
  const auth = () => stack.s.auth
  const inject = (method: 'GET' | 'PUT' | 'POST', url: string, payload?: object, headers: Record<string, string> = {}) =>
    auth().app.inject({ method, url, headers, ...(payload ? { payload } : {}) })

  async function register (): Promise<{ id: string, email: string, headers: Record<string, string> }> {
    const email = `mfa.${randomBytes(5).toString('hex')}@example.com`
    const res = await stack.s.user.app.inject({ method: 'POST', url: '/api/v1/users/register', payload: { email, password: PASSWORD } })
    assert.equal(res.statusCode, 201, res.body)
    return { id: res.json().id, email, headers: callerHeadersFor(res.json().id) }
  }

  /** Codes sent to an address for two-step login, newest first. */
  async function mfaCode (email: string, n: number): Promise<string> {
    const items = await waitFor(async () => {
      const res = await stack.s.notification.app.inject({ method: 'GET', url: `/dev/inbox?to=${encodeURIComponent(email)}` })
      const codes = (res.json().items as Array<{ subject: string, text: string }>).filter(m => m.subject?.includes('sign-in confirmation code'))
      return codes.length >= n && codes
    })
    return /\b(\d{6})\b/.exec(items[0]!.text)![1]!
  }

  const login = (email: string) => inject('POST', '/api/v1/auth/login', { email, password: PASSWORD })

  it('turns on with an emailed code, then login needs a second step', async () => {
    const user = await register()
    const started = await inject('PUT', '/api/v1/auth/mfa', { enabled: true, channel: 'email' }, user.headers)
    assert.equal(started.statusCode, 200, started.body)
    assert.equal(started.json().enabled, false)
    const confirmed = await inject('PUT', '/api/v1/auth/mfa', { enabled: true, channel: 'email', otp: await mfaCode(user.email, 1) }, user.headers)
    assert.equal(confirmed.statusCode, 200, confirmed.body)
    assert.equal(confirmed.json().enabled, true)
    assert.equal(confirmed.json().recoveryCodes.length, 10)
    assert.deepEqual((await inject('GET', '/api/v1/auth/mfa', undefined, user.headers)).json(), { enabled: true, channel: 'email' })

    const first = await login(user.email)
    assert.equal(first.statusCode, 200)
    const challenge = first.json()
    assert.equal(challenge.mfaRequired, true)
    assert.equal(challenge.channel, 'email')
    assert.equal(challenge.accessToken, undefined)
    const verified = await inject('POST', '/api/v1/auth/mfa/verify', { challengeId: challenge.challengeId, otp: await mfaCode(user.email, 2) })
    assert.equal(verified.statusCode, 200, verified.body)
    assert.ok(verified.json().accessToken)
    const again = await inject('POST', '/api/v1/auth/mfa/verify', { challengeId: challenge.challengeId, otp: '000000' })
    assert.equal(again.statusCode, 401)
    assert.equal(again.json().code, 'mfa_challenge_invalid')
  })

  it('works with an authenticator app (TOTP), never accepting one code twice', async (t) => {
    const user = await register()
    const setup = (await inject('PUT', '/api/v1/auth/mfa', { enabled: true, channel: 'totp' }, user.headers)).json()
    assert.match(setup.secret, /^[A-Z2-7]+=*$/)
    assert.match(setup.otpauthUrl, /^otpauth:\/\/totp\/gatehouse:/)
    const now = Date.now()
    const code = await generate({ secret: setup.secret, epoch: Math.floor(now / 1000) })
    const on = await inject('PUT', '/api/v1/auth/mfa', { enabled: true, channel: 'totp', otp: code }, user.headers)
    assert.equal(on.statusCode, 200, on.body)

    const challenge = (await login(user.email)).json()
    assert.equal(challenge.channel, 'totp')
    const replay = await inject('POST', '/api/v1/auth/mfa/verify', { challengeId: challenge.challengeId, otp: code })
    assert.equal(replay.statusCode, 400)
    assert.equal(replay.json().code, 'mfa_code_invalid')
    // Thirty seconds later the app shows the next code.
    const later = new Date(now + 30_000)
    t.mock.method(auth().ctx, 'now', () => later)
    const next = await generate({ secret: setup.secret, epoch: Math.floor(later.getTime() / 1000) })
    const ok = await inject('POST', '/api/v1/auth/mfa/verify', { challengeId: challenge.challengeId, otp: next })
    assert.equal(ok.statusCode, 200, ok.body)
  })

  it('accepts each recovery code once, and allows five tries per challenge', async () => {
    const user = await register()
    await inject('PUT', '/api/v1/auth/mfa', { enabled: true, channel: 'email' }, user.headers)
    const { recoveryCodes } = (await inject('PUT', '/api/v1/auth/mfa', { enabled: true, channel: 'email', otp: await mfaCode(user.email, 1) }, user.headers)).json()
    const first = (await login(user.email)).json()
    assert.equal((await inject('POST', '/api/v1/auth/mfa/verify', { challengeId: first.challengeId, otp: recoveryCodes[0] })).statusCode, 200)
    const second = (await login(user.email)).json()
    const reused = await inject('POST', '/api/v1/auth/mfa/verify', { challengeId: second.challengeId, otp: recoveryCodes[0] })
    assert.equal(reused.json().code, 'mfa_code_invalid')
    for (let i = 0; i < 4; i++) await inject('POST', '/api/v1/auth/mfa/verify', { challengeId: second.challengeId, otp: recoveryCodes[0] })
    const exhausted = await inject('POST', '/api/v1/auth/mfa/verify', { challengeId: second.challengeId, otp: recoveryCodes[1] })
    assert.equal(exhausted.statusCode, 401)
    assert.equal(exhausted.json().code, 'mfa_challenge_invalid')
  })

  it('turns off only with a code, after which login gives tokens at once', async () => {
    const user = await register()
    await inject('PUT', '/api/v1/auth/mfa', { enabled: true, channel: 'email' }, user.headers)
    await inject('PUT', '/api/v1/auth/mfa', { enabled: true, channel: 'email', otp: await mfaCode(user.email, 1) }, user.headers)
    const asked = await inject('PUT', '/api/v1/auth/mfa', { enabled: false }, user.headers)
    assert.equal(asked.json().enabled, true)
    const off = await inject('PUT', '/api/v1/auth/mfa', { enabled: false, otp: await mfaCode(user.email, 2) }, user.headers)
    assert.deepEqual(off.json(), { enabled: false })
    assert.ok((await login(user.email)).json().accessToken)
  })

  it('refuses a channel the account has no address for, and anonymous callers', async () => {
    const user = await register()
    const sms = await inject('PUT', '/api/v1/auth/mfa', { enabled: true, channel: 'sms' }, user.headers)
    assert.equal(sms.statusCode, 400)
    assert.equal(sms.json().code, 'mfa_unavailable')
    assert.equal(sms.json().errors[0].path, '/body/channel')
    assert.equal((await inject('PUT', '/api/v1/auth/mfa', { enabled: true, channel: 'email' })).statusCode, 401)
  })
})
