import { describe, it, before, after } from 'node:test'
import assert from 'node:assert/strict'
import { createEvent } from '@app/kit/bus'
import { startTestService, TEST_SERVICE_SECRET, waitFor } from '@app/kit/testing'
import { notificationService } from '../src/service.ts'

const internal = { 'x-service-token': TEST_SERVICE_SECRET }

describe('dev inbox (development)', () => {
  let svc: Awaited<ReturnType<typeof startTestService<typeof notificationService.configSchema>>>
  before(async () => { svc = await startTestService(notificationService) })
  after(async () => { await svc.cleanup() })

  it('captures internal send-email and send-sms requests, newest first, filtered by recipient and channel', async () => {
    const email = await svc.app.inject({ method: 'POST', url: '/internal/notifications/email', headers: internal, payload: { to: 'dev@example.com', subject: 'Hello', text: 'Body', html: '<p>Body</p>' } })
    assert.equal(email.statusCode, 202)
    const sms = await svc.app.inject({ method: 'POST', url: '/internal/notifications/sms', headers: internal, payload: { to: '+14155550123', text: 'Code 123456' } })
    assert.equal(sms.statusCode, 202)
    const all = (await svc.app.inject({ method: 'GET', url: '/dev/inbox' })).json().items
    assert.deepEqual(all.map((m: { channel: string }) => m.channel), ['sms', 'email'])
    const onlyEmail = (await svc.app.inject({ method: 'GET', url: '/dev/inbox?to=DEV@example.com&channel=email' })).json().items
    assert.equal(onlyEmail.length, 1)
    assert.equal(onlyEmail[0].subject, 'Hello')
    assert.equal(onlyEmail[0].html, '<p>Body</p>')
  })

  it('refuses internal sends without the service credential', async () => {
    const res = await svc.app.inject({ method: 'POST', url: '/internal/notifications/sms', payload: { to: '+14155550123', text: 'x' } })
    assert.equal(res.statusCode, 401)
  })

  it('shows a page to a browser, with message content escaped', async () => {
    await svc.app.inject({ method: 'POST', url: '/internal/notifications/email', headers: internal, payload: { to: 'xss@example.com', subject: '<script>alert(1)</script>', text: 'hi' } })
    const page = await svc.app.inject({ method: 'GET', url: '/dev/inbox', headers: { accept: 'text/html' } })
    assert.match(String(page.headers['content-type']), /^text\/html/)
    assert.ok(page.body.includes('&#60;script&#62;'))
    assert.ok(!page.body.includes('<script>alert(1)</script>'))
  })

  it('sends exactly one welcome message per user.registered event, even when the event is delivered twice', async () => {
    const event = createEvent('/services/user', 'user.registered', { userId: 'u-1', email: 'twice@example.com', phone: null, name: 'Twice' }, 'u-1')
    const sentinel = createEvent('/services/user', 'user.registered', { userId: 'u-2', email: 'after@example.com', phone: null, name: null }, 'u-2')
    await svc.backends.bus.bus.publish(event)
    await svc.backends.bus.bus.publish(event)
    await svc.backends.bus.bus.publish(sentinel)
    const inboxFor = async (to: string) => (await svc.app.inject({ method: 'GET', url: `/dev/inbox?to=${to}` })).json().items
    // Once the event published after the duplicate has landed, the duplicate has had its chance too.
    await waitFor(async () => (await inboxFor('after@example.com')).length > 0 && (await inboxFor('twice@example.com')).length > 0)
    const items = (await svc.app.inject({ method: 'GET', url: '/dev/inbox?to=twice@example.com' })).json().items
    assert.equal(items.length, 1)
    assert.equal(items[0].subject, 'Welcome to Gatehouse')
  })

  it('empties on DELETE', async () => {
    assert.equal((await svc.app.inject({ method: 'DELETE', url: '/dev/inbox' })).statusCode, 204)
    assert.deepEqual((await svc.app.inject({ method: 'GET', url: '/dev/inbox' })).json().items, [])
  })
})

describe('dev inbox (production)', () => {
  let svc: Awaited<ReturnType<typeof startTestService<typeof notificationService.configSchema>>>
  before(async () => { svc = await startTestService(notificationService, { NODE_ENV: 'production' }) })
  after(async () => { await svc.cleanup() })

  it('does not exist: 404, and sends are refused rather than silently dropped', async () => {
    const res = await svc.app.inject({ method: 'GET', url: '/dev/inbox' })
    assert.equal(res.statusCode, 404)
    const send = await svc.app.inject({ method: 'POST', url: '/internal/notifications/email', headers: internal, payload: { to: 'a@example.com', subject: 's', text: 't' } })
    assert.equal(send.statusCode, 503)
  })
})
