/**
 * A passkey that did not verify the user (no PIN or biometrics) is one
 * factor: alone for an account without two-step login, and followed by a
 * code, never by a passkey again, for an account with it on.
 */
import { describe, it } from 'node:test'
import assert from 'node:assert/strict'
import { generate } from 'otplib'
import { callerHeadersFor } from '@app/kit/testing'
import { PASSWORD, useAuth } from './helper.ts'
import { softwareAuthenticator, storeSoftwarePasskey } from './software-authenticator.ts'

describe('passkeys without user verification', () => {
  const t = useAuth()
  const inject = (method: 'POST' | 'PUT', url: string, payload?: object, headers: Record<string, string> = {}) =>
    t.auth.app.inject({ method, url, headers, ...(payload ? { payload } : {}) })

  /** A user holding a software passkey, stored as a registration would have stored it. */
  async function userWithPasskey () {
    const user = await t.register()
    const { authenticator } = await storeSoftwarePasskey(t.auth.ctx.db, user.id)
    return { user, authenticator }
  }

  async function signIn (authenticator: ReturnType<typeof softwareAuthenticator>, userVerified: boolean) {
    const options = await inject('POST', '/api/v1/auth/passkeys/login/options')
    const res = await inject('POST', '/api/v1/auth/passkeys/login', authenticator.assert(options.json().challenge, { userVerified }))
    assert.equal(res.statusCode, 200, res.body)
    return res.json()
  }

  it('is enough for an account without two-step login', async () => {
    const { user, authenticator } = await userWithPasskey()
    const pair = await signIn(authenticator, false)
    assert.equal((await t.validate(pair.accessToken)).sub, user.id)
  })

  it('asks for a code when two-step login is on, and refuses the passkey as that second step', async () => {
    const { user, authenticator } = await userWithPasskey()
    const setup = (await inject('PUT', '/api/v1/auth/mfa', { enabled: true, channel: 'totp' }, callerHeadersFor(user.id))).json()
    const on = await inject('PUT', '/api/v1/auth/mfa', { enabled: true, channel: 'totp', otp: await generate({ secret: setup.secret, epoch: Math.floor(Date.now() / 1000) }) }, callerHeadersFor(user.id))
    assert.equal(on.statusCode, 200, on.body)

    const verified = await signIn(authenticator, true)
    assert.ok(verified.accessToken, 'user verification counts as both factors')

    const challenge = await signIn(authenticator, false)
    assert.equal(challenge.mfaRequired, true)
    assert.equal(challenge.accessToken, undefined)
    assert.equal(challenge.passkey, undefined, 'the passkey was the first factor')
    const again = await inject('POST', '/api/v1/auth/mfa/passkey/options', { challengeId: challenge.challengeId })
    assert.equal(again.statusCode, 400)
    assert.equal(again.json().code, 'mfa_unavailable')

    // A password login of the same user may use the passkey as its second step.
    const password = (await t.post('/api/v1/auth/login', { email: user.email, password: PASSWORD })).json()
    assert.equal(password.passkey, true)
    assert.equal((await inject('POST', '/api/v1/auth/mfa/passkey/options', { challengeId: password.challengeId })).statusCode, 200)

    const code = await generate({ secret: setup.secret, epoch: Math.floor(Date.now() / 1000) + 30 })
    const ctxNow = t.auth.ctx.now
    t.auth.ctx.now = () => new Date(Date.now() + 30_000)
    try {
      const passed = await inject('POST', '/api/v1/auth/mfa/verify', { challengeId: challenge.challengeId, otp: code })
      assert.equal(passed.statusCode, 200, passed.body)
      assert.equal((await t.validate(passed.json().accessToken)).sub, user.id)
    } finally {
      t.auth.ctx.now = ctxNow
    }
  })
})
