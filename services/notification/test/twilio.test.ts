import { after, before, describe, it } from 'node:test'
import assert from 'node:assert/strict'
import { randomInt } from 'node:crypto'
import { waitFor } from '@app/kit/testing'
import { ACCOUNT_SID, AUTH_TOKEN, FROM, startTwilioServer } from './twilio-server.ts'
import { internal, useNotification } from './helper.ts'

const phone = () => `+1415555${String(randomInt(10_000)).padStart(4, '0')}`

describe('SMS through Twilio (a local server that checks the request as Twilio would)', () => {
  let twilio: Awaited<ReturnType<typeof startTwilioServer>>
  before(async () => { twilio = await startTwilioServer() })
  after(async () => { await twilio?.close() })
  const n = useNotification(() => ({
    NOTIFY_TWILIO_BASE_URL: twilio.url,
    NOTIFY_TWILIO_ACCOUNT_SID: ACCOUNT_SID,
    NOTIFY_TWILIO_AUTH_TOKEN: AUTH_TOKEN,
    NOTIFY_TWILIO_FROM: FROM,
    NOTIFY_TWILIO_TIMEOUT_MS: '2000'
  }))

  it('creates a message: the account path, basic auth, the To, From and Body form fields; keeps the message sid', async () => {
    const to = phone()
    const event = await n.request({ template: 'otp_code', channel: 'sms', to, variables: { purpose: 'verification', expiresInMinutes: '10' }, secrets: { code: '736451' } })
    const [row] = await n.settled(event)
    assert.equal(row!.status, 'sent', row!.last_error ?? '')
    assert.equal(row!.provider, 'twilio')
    const [request] = twilio.to(to)
    assert.deepEqual(request!.form, { To: to, From: FROM, Body: '736451 is your Gatehouse verification code. It expires in 10 min. Never share it.' })
    assert.match(row!.provider_message_id!, /^SM[0-9a-f]{32}$/)
    const sent = await waitFor(() => n.events.find(e => e.type === 'notification.sent' && (e.data as { deliveryId: string }).deliveryId === row!.id))
    assert.equal((sent.data as { providerMessageId: string }).providerMessageId, row!.provider_message_id)
    assert.ok(!JSON.stringify(sent).includes('736451'), 'the event never carries the code')
  })

  it('retries a 429 no sooner than its Retry-After, then delivers once', async () => {
    const to = '+15005550429'
    const res = await n.svc.app.inject({ method: 'POST', url: '/internal/notifications/sms', headers: internal, payload: { to, text: 'Your table is ready' } })
    assert.equal(res.statusCode, 202)
    const row = await waitFor(async () => {
      const [r] = await n.deliveries('id = $1', [res.json().id])
      return r?.status === 'sent' && r
    }, 10_000)
    assert.equal(row.attempts, 2)
    const [first, second] = twilio.to(to)
    assert.ok(second!.at - first!.at >= 950, `retried after ${second!.at - first!.at} ms`)
    assert.equal(twilio.to(to).length, 2)
  })

  it('does not retry an invalid number (400, code 21211): dead after one request, listed for admins', async () => {
    const to = '+15005550001'
    const event = await n.request({ template: 'otp_code', channel: 'sms', to, variables: { expiresInMinutes: '10' }, secrets: { code: '111222' } })
    const [row] = await n.settled(event)
    assert.equal(row!.status, 'dead')
    assert.equal(row!.attempts, 1)
    assert.match(row!.last_error!, /21211/)
    assert.equal(twilio.to(to).length, 1)
    const failed = await waitFor(() => n.events.find(e => e.type === 'notification.failed' && (e.data as { deliveryId: string }).deliveryId === row!.id))
    assert.deepEqual({ ...(failed.data as object), error: undefined }, {
      deliveryId: row!.id,
      userId: null,
      channel: 'sms',
      template: 'otp_code',
      provider: 'twilio',
      attempts: 1,
      permanent: true,
      error: undefined,
      sourceEventId: event.id,
      sourceEventType: 'notification.requested'
    })
  })
})

describe('Twilio with a messaging service and wrong credentials', () => {
  let twilio: Awaited<ReturnType<typeof startTwilioServer>>
  before(async () => { twilio = await startTwilioServer() })
  after(async () => { await twilio?.close() })
  const n = useNotification(() => ({
    NOTIFY_TWILIO_BASE_URL: `${twilio.url}/`,
    NOTIFY_TWILIO_ACCOUNT_SID: ACCOUNT_SID,
    NOTIFY_TWILIO_AUTH_TOKEN: 'a-wrong-auth-token-0000',
    NOTIFY_TWILIO_MESSAGING_SERVICE_SID: `MG${'a'.repeat(32)}`,
    NOTIFY_MAX_ATTEMPTS: '3'
  }))

  it('treats refused credentials as retryable (they are being fixed, the message is fine) until the attempts are used up', async () => {
    const to = phone()
    const event = await n.request({ template: 'welcome', channel: 'sms', to, variables: {} })
    const [row] = await n.settled(event)
    assert.equal(row!.status, 'dead')
    assert.equal(row!.attempts, 3)
    assert.match(row!.last_error!, /401 20003/)
    const requests = twilio.to(to)
    assert.equal(requests.length, 3)
    assert.equal(requests[0]!.path, `/2010-04-01/Accounts/${ACCOUNT_SID}/Messages.json`, 'a trailing slash in the base URL is not doubled')
    assert.deepEqual(requests[0]!.form, { To: to, MessagingServiceSid: `MG${'a'.repeat(32)}`, Body: 'Welcome to Gatehouse! Your account is ready.' })
  })
})
