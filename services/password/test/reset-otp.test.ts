import { describe, it } from 'node:test'
import assert from 'node:assert/strict'
import { waitFor } from '@app/kit/testing'
import { NEW_PASSWORD, PASSWORD, uniqueEmail, usePasswordStack } from './helper.ts'

describe('forgot and reset password with a code', () => {
  const stack = usePasswordStack()

  async function code (email: string): Promise<string> {
    assert.equal((await stack.post('/api/v1/password/forgot', { email, method: 'otp' })).statusCode, 202)
    const message = await waitFor(async () => (await stack.inbox(email)).find(m => m.subject?.includes('password reset code')))
    return /\b(\d{6})\b/.exec(message.text)![1]!
  }

  it('sends a code and resets with it; sessions end and the code is spent', async () => {
    const { email } = await stack.register()
    const session = await stack.session(email)
    const otp = await code(email)
    const res = await stack.post('/api/v1/password/reset', { email, otp, newPassword: NEW_PASSWORD })
    assert.equal(res.statusCode, 204, res.body)
    assert.equal((await stack.login(email, NEW_PASSWORD)).statusCode, 200)
    assert.equal((await stack.refresh(session.refreshToken)).statusCode, 401)
    const replay = await stack.post('/api/v1/password/reset', { email, otp, newPassword: 'another fine passphrase' })
    assert.equal(replay.statusCode, 410)
  })

  it('answers a wrong code with otp_invalid, and keeps the code when the new password is refused', async () => {
    const { email } = await stack.register()
    const otp = await code(email)
    const wrong = String((Number(otp) + 1) % 1_000_000).padStart(6, '0')
    const bad = await stack.post('/api/v1/password/reset', { email, otp: wrong, newPassword: NEW_PASSWORD })
    assert.equal(bad.statusCode, 400)
    assert.equal(bad.json().code, 'otp_invalid')
    assert.equal(bad.json().attemptsLeft, 4)
    assert.equal((await stack.post('/api/v1/password/reset', { email, otp, newPassword: PASSWORD })).json().code, 'password_unchanged')
    assert.equal((await stack.post('/api/v1/password/reset', { email, otp, newPassword: 'qwerty123' })).json().code, 'validation_failed')
    assert.equal((await stack.post('/api/v1/password/reset', { email, otp, newPassword: NEW_PASSWORD })).statusCode, 204)
  })

  it('answers an address without an account like one without a live code', async () => {
    const { email } = await stack.register()
    const known = await stack.post('/api/v1/password/reset', { email, otp: '123456', newPassword: NEW_PASSWORD })
    const unknown = await stack.post('/api/v1/password/reset', { email: uniqueEmail('nobody'), otp: '123456', newPassword: NEW_PASSWORD })
    assert.equal(unknown.statusCode, known.statusCode)
    assert.equal(unknown.json().code, known.json().code)
    assert.equal(unknown.json().code, 'otp_expired')
  })
})
