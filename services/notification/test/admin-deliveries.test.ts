import { describe, it } from 'node:test'
import assert from 'node:assert/strict'
import { randomUUID } from 'node:crypto'
import { callerHeadersFor } from '@app/kit/testing'
import { uniqueEmail, useNotification } from './helper.ts'

interface Item { id: string, userId: string | null, channel: string, to: string, template: string, status: string, attempts: number, maxAttempts: number, lastError: string | null }

describe('every delivery, for administrators (GET /api/v1/notifications)', () => {
  // SMS off: a message for a phone number is dead at its first attempt, email is sent.
  const n = useNotification({ SMS_ENABLED: 'false', NOTIFY_MAX_ATTEMPTS: '3' })
  const admin = callerHeadersFor(randomUUID(), ['user', 'admin'])
  const list = async (query = '', headers = admin) => {
    const res = await n.svc.app.inject({ method: 'GET', url: `/api/v1/notifications${query}`, headers })
    return { status: res.statusCode, body: res.json(), text: res.body }
  }
  const userId = randomUUID()
  const email = uniqueEmail('admin-list')

  it('lists sent and dead deliveries of every user, newest first, with status, attempts and last error but never a code', async () => {
    const sent = (await n.settled(await n.request({ template: 'otp_code', channel: 'email', to: email, userId, variables: { expiresInMinutes: '10' }, secrets: { code: '246810' } })))[0]!
    const dead = (await n.settled(await n.request({ template: 'otp_code', channel: 'sms', to: '+14155550177', userId, variables: { expiresInMinutes: '10' }, secrets: { code: '135791' } })))[0]!
    const other = (await n.settled(await n.request({ template: 'welcome', channel: 'email', to: uniqueEmail(), userId: randomUUID(), variables: { name: 'Ada' } })))[0]!

    const all = await list()
    assert.equal(all.status, 200, all.text)
    const ids = (all.body.items as Item[]).map(i => i.id)
    assert.deepEqual(ids.slice(0, 3), [other.id, dead.id, sent.id])
    const deadItem = (all.body.items as Item[]).find(i => i.id === dead.id)!
    assert.deepEqual({ ...deadItem, createdAt: undefined, updatedAt: undefined }, {
      id: dead.id,
      userId,
      channel: 'sms',
      to: '+14155550177',
      template: 'otp_code',
      eventType: 'notification.requested',
      status: 'dead',
      attempts: 1,
      maxAttempts: 3,
      provider: 'none',
      lastError: 'SMS is turned off (SMS_ENABLED=false): this deployment has no SMS provider',
      sentAt: null,
      createdAt: undefined,
      updatedAt: undefined
    })
    assert.ok(!all.text.includes('246810') && !all.text.includes('135791'), 'no code in the list')
  })

  it('filters by status, channel and user, and pages with the cursor', async () => {
    const dead = await list('?status=dead')
    assert.ok(dead.body.items.length >= 1)
    assert.ok((dead.body.items as Item[]).every(i => i.status === 'dead'))
    const sms = await list('?channel=sms')
    assert.ok((sms.body.items as Item[]).every(i => i.channel === 'sms'))
    const mine = await list(`?userId=${userId}`)
    assert.deepEqual((mine.body.items as Item[]).map(i => [i.channel, i.status]), [['sms', 'dead'], ['email', 'sent']])
    const sentEmail = await list(`?userId=${userId}&status=sent&channel=email`)
    assert.deepEqual((sentEmail.body.items as Item[]).map(i => i.to), [email])

    const first = await list(`?userId=${userId}&limit=1`)
    assert.equal(first.body.items.length, 1)
    assert.equal(typeof first.body.nextCursor, 'string')
    const second = await list(`?userId=${userId}&limit=1&cursor=${first.body.nextCursor}`)
    assert.deepEqual((second.body.items as Item[]).map(i => i.channel), ['email'])
    assert.equal(second.body.nextCursor, null)
  })

  it('refuses an unknown status, and answers 401 without an identity and 403 to a user', async () => {
    const bad = await list('?status=lost')
    assert.deepEqual([bad.status, bad.body.code], [400, 'validation_failed'])
    assert.equal((await list('', {})).status, 401)
    assert.equal((await list('', callerHeadersFor(userId))).status, 403)
  })
})
