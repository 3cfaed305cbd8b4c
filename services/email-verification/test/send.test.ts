import { describe, it } from 'node:test'
import assert from 'node:assert/strict'
import { waitFor } from '@app/kit/testing'
import { uniqueEmail, useVerificationStack } from './helper.ts'

// A low hourly allowance, so the flood tests stay short; every other test mails one account at most three times.
const MAX_PER_HOUR = 3

describe('sending verification links', () => {
  const stack = useVerificationStack({ EMAIL_VERIFICATION_MAX_PER_HOUR: String(MAX_PER_HOUR) })

  it('mails a link valid for 24 hours when someone registers, and says so in email_verification.sent', async () => {
    const { id, email } = await stack.register()
    const [mail] = await waitFor(async () => {
      const found = await stack.mails(email)
      return found.length > 0 && found
    })
    assert.equal(mail!.subject, 'Confirm your email for Gatehouse')
    assert.match(mail!.text, /https:\/\/app\.example\.com\/verify-email\?token=[A-Za-z0-9_-]{43}\n/)
    assert.match(mail!.text, /24 hours/)
    const sent = await waitFor(() => stack.events.find(e => e.type === 'email_verification.sent' && e.subject === id))
    assert.deepEqual(sent.data, { userId: id, email })
  })

  it('answers an unknown and a known address the same, and mails only the known one', async () => {
    const { email } = await stack.registerWithToken()
    const stranger = uniqueEmail('nobody')
    const unknown = await stack.sendAndSettle(stranger)
    const known = await stack.sendAndSettle(email)
    assert.deepEqual(unknown.json(), known.json())
    assert.deepEqual(unknown.headers['content-type'], known.headers['content-type'])
    assert.equal(await stack.requestedTo(stranger), 0)
    assert.equal(await stack.requestedTo(email), 2)
    await waitFor(async () => (await stack.mails(email)).length === 2)
    assert.deepEqual(await stack.inbox(stranger), [])
  })

  it('makes the older link useless once a new one is sent', async () => {
    const { email, token: first } = await stack.registerWithToken()
    await stack.sendAndSettle(email)
    const second = await stack.tokenFromMail(email, 2)
    assert.notEqual(second, first)
    const old = await stack.verify(first)
    assert.equal(old.statusCode, 400)
    assert.equal(old.json().code, 'verification_token_invalid')
    assert.equal((await stack.verify(second)).statusCode, 200)
  })

  it('sends nothing to an address that is already verified', async () => {
    const { email, token } = await stack.registerWithToken()
    assert.equal((await stack.verify(token)).statusCode, 200)
    const res = await stack.sendAndSettle(email)
    assert.equal(res.statusCode, 202)
    assert.equal(await stack.requestedTo(email), 1)
  })

  it('mails one account at most EMAIL_VERIFICATION_MAX_PER_HOUR times an hour, and still answers 202', async () => {
    const { email } = await stack.registerWithToken()
    for (let i = 0; i < MAX_PER_HOUR + 1; i++) await stack.sendAndSettle(email)
    assert.equal(await stack.requestedTo(email), MAX_PER_HOUR)
    await waitFor(async () => (await stack.mails(email)).length === MAX_PER_HOUR)
  })

  it('refuses a link to an address the account no longer has, even while it is live', async () => {
    // The allowance is used up, so the email change gets no mail and the last link to the old address stays live.
    const { id, email } = await stack.registerWithToken()
    for (let i = 1; i < MAX_PER_HOUR; i++) await stack.sendAndSettle(email)
    const token = await stack.tokenFromMail(email, MAX_PER_HOUR)
    const newEmail = uniqueEmail('moved')
    assert.equal((await stack.changeEmail(id, newEmail)).statusCode, 200)
    // The new address takes effect once verified (here as its own link would do it).
    assert.equal((await stack.markVerified(id, newEmail)).statusCode, 200)
    const res = await stack.verify(token)
    assert.equal(res.statusCode, 400)
    assert.equal(res.json().code, 'verification_email_changed')
    assert.equal((await stack.user(id)).email, newEmail)
    assert.equal((await stack.verify(token)).json().code, 'verification_token_invalid')
  })

  it('names the field of a malformed request', async () => {
    const res = await stack.send('not-an-email')
    assert.equal(res.statusCode, 400)
    assert.equal(res.json().code, 'validation_failed')
    assert.equal(res.json().errors[0].path, '/body/email')
  })
})
