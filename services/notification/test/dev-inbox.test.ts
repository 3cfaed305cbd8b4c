import { describe, it } from 'node:test'
import assert from 'node:assert/strict'
import { createEvent } from '@app/kit/bus'
import { waitFor } from '@app/kit/testing'
import { internal, useNotification } from './helper.ts'
import type { InboxItem } from './helper.ts'
import { ACCOUNT_SID } from './twilio-server.ts'
import { createDevInboxStore } from '../src/dev-inbox-store.ts'

describe('dev inbox (development)', () => {
  const n = useNotification()
  const inject = (method: 'GET' | 'POST' | 'DELETE', url: string, payload?: object, headers: Record<string, string> = internal) =>
    n.svc.app.inject({ method, url, headers, ...(payload ? { payload } : {}) })

  it('captures internal send-email and send-sms requests, newest first, filtered by recipient and channel', async () => {
    const email = await inject('POST', '/internal/notifications/email', { to: 'dev@example.com', subject: 'Hello', text: 'Body', html: '<p>Body</p>' })
    assert.equal(email.statusCode, 202)
    await waitFor(async () => (await n.inbox('dev@example.com')).length === 1)
    const sms = await inject('POST', '/internal/notifications/sms', { to: '+14155550123', text: 'Code 123456' })
    assert.equal(sms.statusCode, 202)
    const all = await waitFor(async () => {
      const items = (await inject('GET', '/dev/inbox')).json().items as InboxItem[]
      return items.length >= 2 && items
    })
    assert.deepEqual(all.map(m => m.channel), ['sms', 'email'])
    const onlyEmail = (await inject('GET', '/dev/inbox?to=DEV@example.com&channel=email')).json().items
    assert.equal(onlyEmail.length, 1)
    assert.equal(onlyEmail[0].subject, 'Hello')
    assert.equal(onlyEmail[0].html, '<p>Body</p>')
    const [row] = await n.deliveries('id = $1', [email.json().id])
    assert.deepEqual([row!.status, row!.provider, row!.provider_message_id], ['sent', 'inbox', onlyEmail[0].id], 'the dev inbox is a provider like the others')
  })

  it('sends a template by name with its variables, and refuses an unknown template or a missing variable', async () => {
    const ok = await inject('POST', '/internal/notifications/sms', { to: '+14155550124', template: 'order_confirmation', locale: 'de', variables: { orderId: 'abcdef12-3456', items: [{ sku: 'TEA', quantity: 3, unitPrice: 450 }], total: 1350, currency: 'EUR' } })
    assert.equal(ok.statusCode, 202, ok.body)
    const sms = await waitFor(async () => (await n.inbox('+14155550124'))[0])
    // Intl writes a no-break space between amount and currency sign.
    assert.equal(sms.text, 'Gatehouse: Bestellung abcdef12 bestätigt: 3 Artikel, Gesamtbetrag 13,50\u00a0€.')
    const unknown = await inject('POST', '/internal/notifications/email', { to: 'x@example.com', template: 'nope' })
    assert.equal(unknown.statusCode, 400)
    assert.equal(unknown.json().errors[0].path, '/body/template')
    const missing = await inject('POST', '/internal/notifications/email', { to: 'x@example.com', template: 'otp_code', variables: { code: '123456' } })
    assert.equal(missing.statusCode, 400)
    assert.deepEqual(missing.json().errors.map((e: { path: string }) => e.path), ['/body/variables/expiresInMinutes'])
  })

  it('queues one message per Idempotency-Key', async () => {
    const send = () => inject('POST', '/internal/notifications/email', { to: 'idem@example.com', subject: 'Once', text: 'Only once' }, { ...internal, 'idempotency-key': 'k-1' })
    const first = await send()
    const second = await send()
    assert.equal(first.json().id, second.json().id)
    await waitFor(async () => (await n.inbox('idem@example.com')).length === 1)
    assert.equal((await n.deliveries('recipient = $1', ['idem@example.com'])).length, 1)
  })

  it('captures a delivery once even when its worker sent it twice (died before recording it)', async () => {
    const store = createDevInboxStore(n.svc.ctx.db)
    const message = { channel: 'email' as const, to: 'captured-once@example.com', subject: 'Once', text: 'only once' }
    const first = await store.capture(message, 'delivery-42')
    const again = await store.capture(message, 'delivery-42')
    assert.equal(again, first)
    assert.equal((await n.inbox('captured-once@example.com')).length, 1)
  })

  it('captures messages sent at the same time, each once, also two attempts of one delivery side by side', async () => {
    const store = createDevInboxStore(n.svc.ctx.db)
    const message = (i: number) => ({ channel: 'sms' as const, to: `+1415555${String(i).padStart(4, '0')}`, text: `code ${i}` })
    const ids = await Promise.all([
      store.capture(message(1), 'delivery-b1'),
      store.capture(message(2), 'delivery-b2'),
      store.capture(message(2), 'delivery-b2'),
      store.capture(message(3))
    ])
    assert.equal(ids[2], ids[1])
    assert.equal(new Set(ids).size, 3)
    assert.deepEqual(await Promise.all([1, 2, 3].map(async i => (await n.inbox(message(i).to)).length)), [1, 1, 1])
  })

  it('refuses internal sends without the service credential', async () => {
    const res = await inject('POST', '/internal/notifications/sms', { to: '+14155550123', text: 'x' }, {})
    assert.equal(res.statusCode, 401)
  })

  it('answers JSON to a browser too: the page is the console\'s, served by the gateway, with the content as data', async () => {
    await inject('POST', '/internal/notifications/email', { to: 'xss@example.com', subject: '<script>alert(1)</script>', text: 'hi' })
    await waitFor(async () => (await n.inbox('xss@example.com')).length === 1)
    const res = await inject('GET', '/dev/inbox?to=xss@example.com', undefined, { accept: 'text/html,application/xhtml+xml,*/*;q=0.8' })
    assert.equal(res.statusCode, 200)
    assert.match(String(res.headers['content-type']), /^application\/json/)
    assert.equal(res.json().items[0].subject, '<script>alert(1)</script>')
  })

  it('sends exactly one welcome message per user.registered event, even when the event is delivered twice', async () => {
    const event = createEvent('/services/user', 'user.registered', { userId: 'u-1', email: 'twice@example.com', phone: null, name: 'Twice', locale: 'en' }, 'u-1')
    const sentinel = createEvent('/services/user', 'user.registered', { userId: 'u-2', email: 'after@example.com', phone: null, name: null }, 'u-2')
    await n.publish(event)
    await n.publish(event)
    await n.publish(sentinel)
    // Once the event published after the duplicate has landed, the duplicate has had its chance too.
    await waitFor(async () => (await n.inbox('after@example.com')).length > 0 && (await n.inbox('twice@example.com')).length > 0)
    const items = await n.inbox('twice@example.com')
    assert.equal(items.length, 1)
    assert.equal(items[0]!.subject, 'Welcome to Gatehouse')
    assert.match(items[0]!.text, /^Hi Twice,/)
    assert.match(items[0]!.html!, /<p>Hi Twice,<\/p>/)
    assert.match((await n.inbox('after@example.com'))[0]!.text, /^Hi,/)
  })

  it('empties on DELETE', async () => {
    assert.equal((await inject('DELETE', '/dev/inbox')).statusCode, 204)
    assert.deepEqual((await inject('GET', '/dev/inbox')).json().items, [])
  })
})

describe('dev inbox (production)', () => {
  const n = useNotification({
    NODE_ENV: 'production',
    NOTIFY_SMTP_HOST: '127.0.0.1',
    NOTIFY_SMTP_PORT: '9',
    NOTIFY_SMTP_FROM: 'no-reply@example.com',
    NOTIFY_TWILIO_ACCOUNT_SID: ACCOUNT_SID,
    NOTIFY_TWILIO_AUTH_TOKEN: 'twilio-test-auth-token-0123',
    NOTIFY_TWILIO_FROM: '+15005550006'
  })

  it('does not exist: 404', async () => {
    const res = await n.svc.app.inject({ method: 'GET', url: '/dev/inbox' })
    assert.equal(res.statusCode, 404)
  })
})
