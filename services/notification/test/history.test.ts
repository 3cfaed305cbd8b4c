import { after, before, describe, it } from 'node:test'
import assert from 'node:assert/strict'
import { randomUUID } from 'node:crypto'
import { callerHeadersFor, waitFor } from '@app/kit/testing'
import { ACCOUNT_SID, AUTH_TOKEN, FROM, startTwilioServer } from './twilio-server.ts'
import { uniqueEmail, useNotification } from './helper.ts'

describe('delivery history, dead deliveries and their retry', () => {
  let twilioDown = true
  let twilio: Awaited<ReturnType<typeof startTwilioServer>>
  before(async () => { twilio = await startTwilioServer({ down: () => twilioDown }) })
  after(async () => { await twilio?.close() })
  const n = useNotification(() => ({
    NOTIFY_TWILIO_BASE_URL: twilio.url,
    NOTIFY_TWILIO_ACCOUNT_SID: ACCOUNT_SID,
    NOTIFY_TWILIO_AUTH_TOKEN: AUTH_TOKEN,
    NOTIFY_TWILIO_FROM: FROM,
    NOTIFY_MAX_ATTEMPTS: '2'
  }))
  const get = (url: string, headers: Record<string, string> = {}) => n.svc.app.inject({ method: 'GET', url, headers })
  const admin = callerHeadersFor(randomUUID(), ['user', 'admin'])

  it('lists the caller\'s own deliveries, newest first, paginated, without any content, code or token', async () => {
    const userId = randomUUID()
    const email = uniqueEmail('hist')
    const otp = await n.request({ template: 'otp_code', channel: 'email', to: email, userId, variables: { expiresInMinutes: '10' }, secrets: { code: '975310' } })
    await n.settled(otp)
    const reset = await n.request({ template: 'password_reset_link', channel: 'email', to: email, userId, variables: { expiresInMinutes: '30' }, secrets: { link: 'https://app.example.com/reset?token=SECRET-TOKEN' } })
    await n.settled(reset)
    await n.settled(await n.request({ template: 'otp_code', channel: 'email', to: uniqueEmail(), userId: randomUUID(), variables: { expiresInMinutes: '10' }, secrets: { code: '000111' } }))

    const res = await get('/api/v1/notifications/me', callerHeadersFor(userId))
    assert.equal(res.statusCode, 200)
    const { items, nextCursor } = res.json()
    assert.deepEqual(items.map((i: { template: string }) => i.template), ['password_reset_link', 'otp_code'])
    assert.equal(nextCursor, null)
    assert.deepEqual(Object.keys(items[0]).sort(), ['attempts', 'channel', 'createdAt', 'id', 'sentAt', 'status', 'template', 'updatedAt'])
    assert.deepEqual([items[0].channel, items[0].status, items[0].attempts], ['email', 'sent', 1])
    assert.ok(!res.body.includes('975310') && !res.body.includes('SECRET-TOKEN') && !res.body.includes(email), res.body)

    const first = (await get('/api/v1/notifications/me?limit=1', callerHeadersFor(userId))).json()
    assert.equal(first.items.length, 1)
    const second = (await get(`/api/v1/notifications/me?limit=1&cursor=${first.nextCursor}`, callerHeadersFor(userId))).json()
    assert.deepEqual(second.items.map((i: { template: string }) => i.template), ['otp_code'])
    assert.equal(second.nextCursor, null)
  })

  it('keeps codes and links sealed in the table until they are sent', async () => {
    const rows = await n.deliveries('template = $1', ['password_reset_link'])
    assert.ok(rows.length > 0)
    for (const row of rows) assert.ok(!JSON.stringify(row).includes('SECRET-TOKEN'))
  })

  it('answers 401 without an identity, and 403 to a user asking for the dead list', async () => {
    assert.equal((await get('/api/v1/notifications/me')).statusCode, 401)
    assert.equal((await get('/api/v1/notifications/dead')).statusCode, 401)
    assert.equal((await get('/api/v1/notifications/dead', callerHeadersFor(randomUUID()))).statusCode, 403)
    const retry = await n.svc.app.inject({ method: 'POST', url: `/api/v1/notifications/${randomUUID()}/retry`, headers: callerHeadersFor(randomUUID()) })
    assert.equal(retry.statusCode, 403)
  })

  it('gives up after the attempts, lists the delivery for admins, and sends it when an admin retries', async () => {
    const userId = randomUUID()
    const event = await n.request({ template: 'otp_code', channel: 'sms', to: '+14155550999', userId, variables: { expiresInMinutes: '10' }, secrets: { code: '314159' } })
    const [dead] = await n.settled(event)
    assert.deepEqual([dead!.status, dead!.attempts], ['dead', 2])
    const failed = await waitFor(() => n.events.find(e => e.type === 'notification.failed' && (e.data as { deliveryId: string }).deliveryId === dead!.id))
    assert.equal((failed.data as { permanent: boolean }).permanent, false)
    assert.equal(failed.subject, userId)

    const list = await get('/api/v1/notifications/dead', admin)
    assert.equal(list.statusCode, 200)
    const item = list.json().items.find((i: { id: string }) => i.id === dead!.id)
    assert.deepEqual({ ...item, createdAt: undefined, updatedAt: undefined }, {
      id: dead!.id,
      userId,
      channel: 'sms',
      to: '+14155550999',
      template: 'otp_code',
      status: 'dead',
      attempts: 2,
      eventType: 'notification.requested',
      provider: 'twilio',
      lastError: 'twilio 503 20503: Service Unavailable',
      sentAt: null,
      createdAt: undefined,
      updatedAt: undefined
    })
    assert.ok(!list.body.includes('314159'))

    twilioDown = false
    const retry = await n.svc.app.inject({ method: 'POST', url: `/api/v1/notifications/${dead!.id}/retry`, headers: admin })
    assert.equal(retry.statusCode, 202, retry.body)
    assert.equal(retry.json().status, 'queued')
    const [sent] = await n.settled(event)
    assert.deepEqual([sent!.status, sent!.attempts], ['sent', 1])
    assert.match(twilio.to('+14155550999').at(-1)!.form.Body!, /^314159 is your Gatehouse code/)
    const sentEvent = await waitFor(() => n.events.find(e => e.type === 'notification.sent' && (e.data as { deliveryId: string }).deliveryId === dead!.id))
    assert.deepEqual(sentEvent.data, {
      deliveryId: dead!.id,
      userId,
      channel: 'sms',
      template: 'otp_code',
      provider: 'twilio',
      attempts: 1,
      sourceEventId: event.id,
      sourceEventType: 'notification.requested',
      providerMessageId: sent!.provider_message_id
    })
    assert.ok(!(await get('/api/v1/notifications/dead', admin)).body.includes(dead!.id))

    const again = await n.svc.app.inject({ method: 'POST', url: `/api/v1/notifications/${dead!.id}/retry`, headers: admin })
    assert.deepEqual([again.statusCode, again.json().code], [409, 'conflict'])
    const unknown = await n.svc.app.inject({ method: 'POST', url: `/api/v1/notifications/${randomUUID()}/retry`, headers: admin })
    assert.deepEqual([unknown.statusCode, unknown.json().code], [404, 'not_found'])
  })
})
