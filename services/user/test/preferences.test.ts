import { describe, it } from 'node:test'
import assert from 'node:assert/strict'
import { waitFor } from '@app/kit/testing'
import { as, internal, registerUser, uniqueEmail, uniquePhone, useUserService } from './helper.ts'

describe('notification preferences', () => {
  const svc = useUserService()
  const get = (user: { id: string }) => svc.app.inject({ method: 'GET', url: '/api/v1/users/me/preferences', headers: as(user) })
  const put = (user: { id: string } | null, payload: unknown) => svc.app.inject({
    method: 'PUT', url: '/api/v1/users/me/preferences', headers: user ? as(user) : {}, payload: payload as object
  })

  it('defaults to email on, and sms on only when the user has a phone', async () => {
    const emailOnly = await registerUser(svc.app)
    assert.deepEqual((await get(emailOnly)).json(), { channels: { email: true, sms: false }, events: {} })
    const both = await registerUser(svc.app, { email: uniqueEmail(), phone: uniquePhone(), password: 'correct horse battery' })
    assert.deepEqual((await get(both)).json(), { channels: { email: true, sms: true }, events: {} })
  })

  it('answers 401 without an identity', async () => {
    assert.equal((await svc.app.inject({ method: 'GET', url: '/api/v1/users/me/preferences' })).statusCode, 401)
    assert.equal((await put(null, { channels: { email: true, sms: false } })).statusCode, 401)
  })

  it('stores what was PUT, returns it on GET, and emits user.updated with changes [preferences]', async () => {
    const user = await registerUser(svc.app, { email: uniqueEmail(), phone: uniquePhone(), password: 'correct horse battery' })
    const preferences = { channels: { email: false, sms: true }, events: { 'user.updated': ['sms', 'email'], 'order.created': [] } }
    const saved = await put(user, preferences)
    assert.equal(saved.statusCode, 200, saved.body)
    assert.deepEqual(saved.json(), preferences)
    assert.deepEqual((await get(user)).json(), preferences)
    const replaced = await put(user, { channels: { email: true, sms: true } })
    assert.deepEqual(replaced.json(), { channels: { email: true, sms: true }, events: {} }, 'events omitted means none')
    const events = await waitFor(() => {
      const found = svc.events.filter(e => e.type === 'user.updated' && e.subject === user.id)
      return found.length === 2 && found
    })
    const data = events[0]!.data as Record<string, unknown>
    assert.deepEqual(data.changes, ['preferences'])
    assert.equal(data.userId, user.id)
    assert.deepEqual(data.preferences, preferences)
  })

  it('refuses sms without a phone and email without an email, naming the field', async () => {
    const emailOnly = await registerUser(svc.app)
    const sms = await put(emailOnly, { channels: { email: true, sms: true } })
    assert.equal(sms.statusCode, 400)
    assert.equal(sms.json().code, 'validation_failed')
    assert.deepEqual(sms.json().errors.map((e: { path: string }) => e.path), ['/body/channels/sms'])
    const phoneOnly = await registerUser(svc.app, { phone: uniquePhone() })
    assert.deepEqual((await get(phoneOnly)).json().channels, { email: false, sms: true })
    const email = await put(phoneOnly, { channels: { email: true, sms: true } })
    assert.equal(email.statusCode, 400)
    assert.equal(email.json().errors[0].path, '/body/channels/email')
  })

  it('reads a channel as off once its address is removed, so a GET can be PUT back', async () => {
    const user = await registerUser(svc.app, { email: uniqueEmail(), phone: uniquePhone(), password: 'correct horse battery' })
    await put(user, { channels: { email: true, sms: true } })
    await svc.app.inject({ method: 'PATCH', url: '/api/v1/users/me', headers: as(user), payload: { phone: null } })
    const now = (await get(user)).json()
    assert.deepEqual(now.channels, { email: true, sms: false })
    assert.equal((await put(user, now)).statusCode, 200)
  })

  const tooMany = Object.fromEntries(Array.from({ length: 51 }, (_, i) => [`area.event_${String.fromCharCode(97 + (i % 26))}${i >= 26 ? 'x' : ''}`, ['email']]))
  const bad: Array<[string, unknown, string]> = [
    ['a missing channel', { channels: { email: true } }, '/body/channels/sms'],
    ['a channel that is not a boolean', { channels: { email: 'yes', sms: false } }, '/body/channels/email'],
    ['an unknown channel switch', { channels: { email: true, sms: false, push: true } }, '/body/channels/push'],
    ['an event type without a dot', { channels: { email: true, sms: false }, events: { welcome: ['email'] } }, '/body/events/welcome'],
    ['an upper-case event type', { channels: { email: true, sms: false }, events: { 'User.Updated': ['email'] } }, '/body/events/User.Updated'],
    ['an unknown channel for an event', { channels: { email: true, sms: false }, events: { 'user.updated': ['push'] } }, '/body/events/user.updated/0'],
    ['a channel twice for an event', { channels: { email: true, sms: false }, events: { 'user.updated': ['email', 'email'] } }, '/body/events/user.updated'],
    ['51 event types', { channels: { email: true, sms: false }, events: tooMany }, '/body/events'],
    ['a missing channels object', { events: {} }, '/body/channels']
  ]
  for (const [what, body, path] of bad) {
    it(`answers 400 validation_failed naming ${path} for ${what}`, async () => {
      const user = await registerUser(svc.app)
      const res = await put(user, body)
      assert.equal(res.statusCode, 400, res.body)
      assert.equal(res.json().code, 'validation_failed')
      assert.equal(res.json().errors[0].path, path)
    })
  }

  it('gives the notification service a user\'s addresses and preferences on an internal route', async () => {
    const user = await registerUser(svc.app, { email: uniqueEmail(), phone: uniquePhone(), password: 'correct horse battery', name: 'Ada' })
    await put(user, { channels: { email: true, sms: false }, events: { 'user.updated': ['email'] } })
    const res = await svc.app.inject({ method: 'GET', url: `/internal/users/${user.id}/preferences`, headers: internal })
    assert.equal(res.statusCode, 200)
    assert.deepEqual(res.json(), {
      userId: user.id,
      email: user.email,
      phone: user.phone,
      emailVerified: false,
      phoneVerified: false,
      locale: 'en',
      name: 'Ada',
      preferences: { channels: { email: true, sms: false }, events: { 'user.updated': ['email'] } }
    })
    assert.equal((await svc.app.inject({ method: 'GET', url: `/internal/users/${user.id}/preferences` })).statusCode, 401)
    const unknown = await svc.app.inject({ method: 'GET', url: '/internal/users/01890000-0000-7000-8000-000000000000/preferences', headers: internal })
    assert.equal(unknown.statusCode, 404)
    assert.equal(unknown.json().code, 'user_not_found')
  })
})
