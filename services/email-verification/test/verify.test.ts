import { describe, it } from 'node:test'
import assert from 'node:assert/strict'
import { wasProcessed } from '@app/kit/bus'
import { waitFor } from '@app/kit/testing'
import { uniqueEmail, useVerificationStack } from './helper.ts'

const HOUR_MS = 3_600_000

describe('verifying an email with the token', () => {
  const stack = useVerificationStack()

  it('marks the email verified and emits user.email_verified and email_verification.verified', async () => {
    const { id, email, token } = await stack.registerWithToken()
    assert.equal((await stack.user(id)).emailVerified, false)
    const res = await stack.verify(token)
    assert.equal(res.statusCode, 200, res.body)
    assert.deepEqual(res.json(), { email, verified: true })
    assert.equal((await stack.user(id)).emailVerified, true)
    const verified = await waitFor(() => stack.events.find(e => e.type === 'user.email_verified' && e.subject === id))
    assert.deepEqual(verified.data, { userId: id, email })
    assert.equal(verified.source, '/services/email-verification')
    const own = await waitFor(() => stack.events.find(e => e.type === 'email_verification.verified' && e.subject === id))
    assert.deepEqual(own.data, { userId: id, email })
  })

  it('refuses the second use of a token', async () => {
    const { token } = await stack.registerWithToken()
    assert.equal((await stack.verify(token)).statusCode, 200)
    const again = await stack.verify(token)
    assert.equal(again.statusCode, 400)
    assert.equal(again.json().code, 'verification_token_invalid')
    assert.deepEqual(again.json().errors.map((e: { path: string }) => e.path), ['/body/token'])
  })

  it('lets exactly one of two concurrent verifies with one token win', async () => {
    const { token } = await stack.registerWithToken()
    const results = await Promise.all([stack.verify(token), stack.verify(token)])
    assert.deepEqual(results.map(r => r.statusCode).sort(), [200, 400])
  })

  it('refuses a token after 24 hours', async (t) => {
    const { id, token } = await stack.registerWithToken()
    const later = new Date(Date.now() + 24 * HOUR_MS + 60_000)
    t.mock.method(stack.verification.ctx, 'now', () => later)
    const res = await stack.verify(token)
    assert.equal(res.statusCode, 400)
    assert.equal(res.json().code, 'verification_token_invalid')
    assert.equal((await stack.user(id)).emailVerified, false)
  })

  it('refuses an unknown or malformed token', async () => {
    const unknown = await stack.verify('A'.repeat(43))
    assert.equal(unknown.statusCode, 400)
    assert.equal(unknown.json().code, 'verification_token_invalid')
    const malformed = await stack.verify('not a token')
    assert.equal(malformed.statusCode, 400)
    assert.equal(malformed.json().code, 'validation_failed')
    assert.equal(malformed.json().errors[0].path, '/body/token')
  })

  it('mails a pending new address; the account keeps its email until that link is used, which completes the change', async () => {
    const { id, email, token: old } = await stack.registerWithToken()
    const newEmail = uniqueEmail('moved')
    const changed = await stack.changeEmail(id, newEmail)
    assert.equal(changed.statusCode, 200, changed.body)
    assert.equal(changed.json().email, email)
    assert.equal(changed.json().pendingEmail, newEmail)
    const fresh = await stack.tokenFromMail(newEmail)
    const sent = await waitFor(() => stack.events.find(e => e.type === 'email_verification.sent' && e.subject === id && (e.data as { email: string }).email === newEmail))
    assert.deepEqual(sent.data, { userId: id, email: newEmail })

    const byOld = await stack.verify(old)
    assert.equal(byOld.statusCode, 400)
    assert.equal(byOld.json().code, 'verification_token_invalid')
    const pending = await stack.user(id)
    assert.equal(pending.email, email)
    assert.equal(pending.pendingEmail, newEmail)
    assert.equal((await stack.mails(email)).length, 1)

    const res = await stack.verify(fresh)
    assert.deepEqual(res.json(), { email: newEmail, verified: true })
    const user = await stack.user(id)
    assert.equal(user.email, newEmail)
    assert.equal(user.emailVerified, true)
    assert.equal(user.pendingEmail, null)
    // The change taking effect is no new address to verify: no further mail.
    const took = await waitFor(() => stack.events.find(e => e.type === 'user.updated' && e.subject === id && (e.data as { changes: string[] }).changes.includes('email')))
    await waitFor(() => wasProcessed(stack.verification.ctx.db, 'email-verification.user-email', took.id))
    assert.equal(await stack.requestedTo(newEmail), 1)
  })

  it('never puts a token in an event, a job or a delivery request', async () => {
    const { id, email, token: first } = await stack.registerWithToken()
    await stack.sendAndSettle(email)
    const second = await stack.tokenFromMail(email, 2)
    assert.equal((await stack.verify(second)).statusCode, 200)
    await waitFor(() => stack.events.find(e => e.type === 'email_verification.verified' && e.subject === id))
    await waitFor(() => stack.messages.filter(m => m.subject === id && m.type === 'notification.requested').length === 2)
    const seen = JSON.stringify([...stack.events, ...stack.messages])
    for (const token of [first, second]) assert.ok(!seen.includes(token), 'a token appears on the bus')
    const ours = stack.events.filter(e => e.subject === id && e.type.startsWith('email_verification.'))
    for (const event of ours) assert.deepEqual(Object.keys(event.data as object).sort(), ['email', 'userId'])
  })
})
