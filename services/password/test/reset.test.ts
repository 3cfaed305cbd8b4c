import { describe, it } from 'node:test'
import assert from 'node:assert/strict'
import { waitFor } from '@app/kit/testing'
import { NEW_PASSWORD, PASSWORD, uniqueEmail, usePasswordStack } from './helper.ts'

const MINUTE_MS = 60_000

describe('forgot and reset password with a link', () => {
  const stack = usePasswordStack()

  it('answers a known and an unknown address the same, and only the known one gets a link', async () => {
    const { email } = await stack.register()
    const stranger = uniqueEmail('nobody')
    const unknown = await stack.post('/api/v1/password/forgot', { email: stranger })
    const known = await stack.post('/api/v1/password/forgot', { email })
    assert.equal(unknown.statusCode, 202)
    assert.equal(known.statusCode, 202)
    assert.deepEqual(unknown.json(), known.json())
    const message = await waitFor(async () => (await stack.inbox(email)).find(m => m.subject?.startsWith('Reset')))
    assert.match(message.text, /https:\/\/app\.example\.com\/reset-password\?token=[A-Za-z0-9_-]{43}/)
    assert.match(message.text, /30 minutes/)
    assert.deepEqual(await stack.inbox(stranger), [])
  })

  it('never puts the token in an event', async () => {
    const { id, email } = await stack.register()
    const token = await stack.resetToken(email)
    const requested = await waitFor(() => stack.events.find(e => e.type === 'password.reset_requested' && e.subject === id))
    assert.deepEqual(requested.data, { userId: id, method: 'link', channel: 'email' })
    assert.ok(!JSON.stringify(stack.events).includes(token))
  })

  it('resets: the new password works, the old one and every earlier session do not, a confirmation is sent', async () => {
    const { id, email } = await stack.register()
    await stack.verifyEmail(id, email)
    const session = await stack.session(email)
    const token = await stack.resetToken(email)
    const res = await stack.post('/api/v1/password/reset', { token, newPassword: NEW_PASSWORD })
    assert.equal(res.statusCode, 204, res.body)

    assert.equal((await stack.login(email, PASSWORD)).statusCode, 401)
    assert.equal((await stack.login(email, NEW_PASSWORD)).statusCode, 200)
    assert.equal((await stack.refresh(session.refreshToken)).statusCode, 401)
    const changed = await waitFor(() => stack.events.find(e => e.type === 'password.changed' && e.subject === id))
    assert.equal((changed.data as { reason: string }).reason, 'reset')
    await waitFor(async () => (await stack.inbox(email)).find(m => m.subject?.includes('password was changed')))

    const again = await stack.post('/api/v1/password/reset', { token, newPassword: 'another fine passphrase' })
    assert.equal(again.statusCode, 400)
    assert.equal(again.json().code, 'reset_token_invalid')
  })

  it('makes earlier links useless once one of them was used', async () => {
    const { email } = await stack.register()
    const first = await stack.resetToken(email)
    const second = await stack.resetToken(email)
    assert.equal((await stack.post('/api/v1/password/reset', { token: second, newPassword: NEW_PASSWORD })).statusCode, 204)
    const res = await stack.post('/api/v1/password/reset', { token: first, newPassword: 'another fine passphrase' })
    assert.equal(res.json().code, 'reset_token_invalid')
  })

  it('refuses a common or unchanged password without spending the token', async () => {
    const { email } = await stack.register()
    const token = await stack.resetToken(email)
    const common = await stack.post('/api/v1/password/reset', { token, newPassword: 'password1' })
    assert.equal(common.statusCode, 400)
    assert.equal(common.json().code, 'validation_failed')
    assert.deepEqual(common.json().errors.map((e: { path: string }) => e.path), ['/body/newPassword'])
    const same = await stack.post('/api/v1/password/reset', { token, newPassword: PASSWORD })
    assert.equal(same.statusCode, 400)
    assert.equal(same.json().code, 'password_unchanged')
    assert.equal((await stack.post('/api/v1/password/reset', { token, newPassword: NEW_PASSWORD })).statusCode, 204)
  })

  it('lets exactly one of two concurrent resets with one token win', async () => {
    const { email } = await stack.register()
    const token = await stack.resetToken(email)
    const results = await Promise.all([
      stack.post('/api/v1/password/reset', { token, newPassword: NEW_PASSWORD }),
      stack.post('/api/v1/password/reset', { token, newPassword: 'another fine passphrase' })
    ])
    assert.deepEqual(results.map(r => r.statusCode).sort(), [204, 400])
  })

  it('refuses a link after 30 minutes', async (t) => {
    const { email } = await stack.register()
    const token = await stack.resetToken(email)
    const later = new Date(Date.now() + 31 * MINUTE_MS)
    t.mock.method(stack.password.ctx, 'now', () => later)
    const res = await stack.post('/api/v1/password/reset', { token, newPassword: NEW_PASSWORD })
    assert.equal(res.json().code, 'reset_token_invalid')
  })

  it('names the field of a malformed request', async () => {
    const both = await stack.post('/api/v1/password/forgot', { email: uniqueEmail(), phone: '+14155550123' })
    assert.equal(both.statusCode, 400)
    assert.equal(both.json().errors[0].path, '/body/email')
    const badEmail = await stack.post('/api/v1/password/forgot', { email: 'not-an-email' })
    assert.equal(badEmail.json().errors[0].path, '/body/email')
    const mixed = await stack.post('/api/v1/password/reset', { token: 'A'.repeat(43), otp: '123456', email: uniqueEmail(), newPassword: NEW_PASSWORD })
    assert.equal(mixed.json().errors[0].path, '/body/token')
    const neither = await stack.post('/api/v1/password/reset', { newPassword: NEW_PASSWORD })
    assert.equal(neither.statusCode, 400)
  })
})

describe('the reset page a link opens', () => {
  const stack = usePasswordStack()
  const get = (token: string) => stack.password.app.inject({ method: 'GET', url: `/api/v1/password/reset?token=${token}` })
  const submit = (fields: Record<string, string>) => stack.password.app.inject({
    method: 'POST',
    url: '/api/v1/password/reset/form',
    headers: { 'content-type': 'application/x-www-form-urlencoded' },
    payload: new URLSearchParams(fields).toString()
  })

  it('shows a form on GET without spending the token (a mail scanner may open it first)', async () => {
    const { email } = await stack.register()
    const token = await stack.resetToken(email)
    for (let i = 0; i < 2; i++) {
      const page = await get(token)
      assert.equal(page.statusCode, 200)
      assert.match(String(page.headers['content-type']), /^text\/html/)
      assert.match(String(page.headers['content-security-policy']), /default-src 'none'/)
      assert.equal(page.headers['referrer-policy'], 'no-referrer')
      assert.match(page.body, /<form method="post"/)
      assert.doesNotMatch(page.body, /<script/)
    }
    const res = await submit({ token, newPassword: NEW_PASSWORD, confirmPassword: NEW_PASSWORD })
    assert.equal(res.statusCode, 200)
    assert.match(res.body, /Password changed/)
    assert.equal((await stack.login(email, NEW_PASSWORD)).statusCode, 200)
    assert.match((await get(token)).body, /no longer works/)
  })

  it('explains a mismatch or a refused password on the form, keeping the token usable', async () => {
    const { email } = await stack.register()
    const token = await stack.resetToken(email)
    const mismatch = await submit({ token, newPassword: NEW_PASSWORD, confirmPassword: 'something else entirely' })
    assert.equal(mismatch.statusCode, 400)
    assert.match(mismatch.body, /differ/)
    const common = await submit({ token, newPassword: 'password1', confirmPassword: 'password1' })
    assert.match(common.body, /most common/)
    assert.equal((await submit({ token, newPassword: NEW_PASSWORD, confirmPassword: NEW_PASSWORD })).statusCode, 200)
  })

  it('says the link no longer works for an unknown token', async () => {
    const page = await get('A'.repeat(43))
    assert.equal(page.statusCode, 400)
    assert.match(page.body, /no longer works/)
  })
})

describe('forgot-password flood protection', () => {
  const stack = usePasswordStack({ PASSWORD_FORGOT_MAX_PER_HOUR: '2' })

  it('sends at most the configured number of messages per account and hour, and still answers 202', async () => {
    const { id, email } = await stack.register()
    const handled = async () => (await stack.password.ctx.db.query<{ n: number }>('select count(*)::int as n from processed_events where consumer = \'password.forgot\'')).rows[0]!.n
    const before = await handled()
    for (let i = 0; i < 4; i++) assert.equal((await stack.post('/api/v1/password/forgot', { email })).statusCode, 202)
    // All four were handled in the background; two of them asked for a message.
    await waitFor(async () => (await handled()) === before + 4)
    const { rows } = await stack.password.ctx.db.query<{ n: number }>('select count(*)::int as n from outbox where type = \'password.reset_requested\' and event->>\'subject\' = $1', [id])
    assert.equal(rows[0]!.n, 2)
    await waitFor(async () => (await stack.inbox(email)).filter(m => m.subject?.startsWith('Reset')).length === 2)
  })
})
