import { describe, it } from 'node:test'
import assert from 'node:assert/strict'
import { waitFor } from '@app/kit/testing'
import { internal, uniqueEmail, uniquePhone, useUserService } from './helper.ts'

const register = (app: ReturnType<typeof useUserService>['app'], body: unknown) =>
  app.inject({ method: 'POST', url: '/api/v1/users/register', payload: body as object })

describe('POST /api/v1/users/register', () => {
  const svc = useUserService()

  it('creates a user with a normalised email and returns it without secrets', async () => {
    const email = uniqueEmail()
    const res = await register(svc.app, { email: `  ${email} `, password: 'correct horse battery', name: 'Ada' })
    assert.equal(res.statusCode, 201)
    const user = res.json()
    const [local, domain] = email.split('@')
    assert.equal(user.email, `${local}@${domain!.toLowerCase()}`)
    assert.equal(user.name, 'Ada')
    assert.equal(user.emailVerified, false)
    assert.deepEqual(user.roles, ['user'])
    assert.match(user.id, /^[0-9a-f-]{36}$/)
    assert.ok(!('passwordHash' in user) && !('password' in user))
  })

  it('normalises a phone number to E.164 and allows phone-only sign-up without a password', async () => {
    const phone = uniquePhone()
    const spaced = `${phone.slice(0, 2)} ${phone.slice(2, 5)} ${phone.slice(5, 8)}-${phone.slice(8)}`
    const res = await register(svc.app, { phone: spaced })
    assert.equal(res.statusCode, 201, res.body)
    assert.equal(res.json().phone, phone)
    assert.equal(res.json().email, null)
  })

  it('answers 409 conflict naming the field for an email taken in another case', async () => {
    const email = uniqueEmail()
    assert.equal((await register(svc.app, { email, password: 'correct horse battery' })).statusCode, 201)
    const res = await register(svc.app, { email: email.toUpperCase(), password: 'another good password' })
    assert.equal(res.statusCode, 409)
    assert.equal(res.headers['content-type'], 'application/problem+json; charset=utf-8')
    assert.equal(res.json().code, 'conflict')
    assert.deepEqual(res.json().errors, [{ path: '/body/email', message: 'is already registered' }])
  })

  it('answers 409 for a taken phone number', async () => {
    const phone = uniquePhone()
    assert.equal((await register(svc.app, { phone })).statusCode, 201)
    const res = await register(svc.app, { phone, email: uniqueEmail(), password: 'correct horse battery' })
    assert.equal(res.statusCode, 409)
    assert.equal(res.json().errors[0].path, '/body/phone')
  })

  const badBodies: Array<[string, unknown, string]> = [
    ['neither email nor phone', { password: 'correct horse battery' }, '/body/email'],
    ['an email without a password', { email: 'ann@example.com' }, '/body/password'],
    ['an invalid email', { email: 'not-an-email', password: 'correct horse battery' }, '/body/email'],
    ['an email with a bad domain', { email: 'ann@-bad-.com', password: 'correct horse battery' }, '/body/email'],
    ['a phone without +', { phone: '4155550123' }, '/body/phone'],
    ['an impossible phone', { phone: '+999123' }, '/body/phone'],
    ['a 7-character password', { email: 'ann@example.com', password: '1234567' }, '/body/password'],
    ['a 129-character password', { email: 'ann@example.com', password: 'x'.repeat(129) }, '/body/password'],
    ['an unknown field', { email: 'ann@example.com', password: 'correct horse battery', role: 'admin' }, '/body/role'],
    ['a number as email', { email: 42, password: 'correct horse battery' }, '/body/email'],
    ['an array body', [], '/body']
  ]
  for (const [what, body, path] of badBodies) {
    it(`answers 400 validation_failed naming ${path} for ${what}`, async () => {
      const res = await register(svc.app, body)
      assert.equal(res.statusCode, 400, res.body)
      assert.equal(res.json().code, 'validation_failed')
      assert.equal(res.json().errors[0].path, path)
    })
  }

  it('writes nothing when the input is rejected', async () => {
    const email = uniqueEmail('rejected')
    const res = await register(svc.app, { email, password: 'short' })
    assert.equal(res.statusCode, 400)
    const lookup = await svc.app.inject({ method: 'GET', url: `/internal/users/lookup?email=${encodeURIComponent(email)}`, headers: internal })
    assert.equal(lookup.statusCode, 404)
  })

  it('answers 400 malformed_json for broken JSON and 415 for a non-JSON body', async () => {
    const broken = await svc.app.inject({ method: 'POST', url: '/api/v1/users/register', headers: { 'content-type': 'application/json' }, payload: '{"email":' })
    assert.equal(broken.statusCode, 400)
    assert.equal(broken.json().code, 'malformed_json')
    const text = await svc.app.inject({ method: 'POST', url: '/api/v1/users/register', headers: { 'content-type': 'text/plain' }, payload: 'email=a' })
    assert.equal(text.statusCode, 415)
    assert.equal(text.json().code, 'unsupported_media_type')
  })

  it('answers 413 payload_too_large above 64 KiB', async () => {
    const res = await register(svc.app, { email: 'big@example.com', password: 'correct horse battery', name: 'x'.repeat(70_000) })
    assert.equal(res.statusCode, 413)
    assert.equal(res.json().code, 'payload_too_large')
  })

  it('publishes user.registered through the outbox as a CloudEvent without secrets', async () => {
    const email = uniqueEmail('event')
    const user = (await register(svc.app, { email, password: 'correct horse battery' })).json()
    const event = await waitFor(() => svc.events.find(e => e.subject === user.id && e.type === 'user.registered'))
    assert.equal(event.specversion, '1.0')
    assert.equal(event.source, '/services/user')
    assert.match(event.id, /^[0-9a-f]{8}-[0-9a-f]{4}-7/)
    assert.deepEqual(event.data, { userId: user.id, email: user.email, phone: null, name: null, locale: 'en' })
    assert.ok(!JSON.stringify(event).includes('argon2'))
  })

  it('echoes a valid x-request-id and mints one otherwise', async () => {
    const echoed = await svc.app.inject({ method: 'GET', url: '/healthz', headers: { 'x-request-id': 'abc-123' } })
    assert.equal(echoed.headers['x-request-id'], 'abc-123')
    const minted = await svc.app.inject({ method: 'GET', url: '/healthz', headers: { 'x-request-id': 'bad id with spaces' } })
    assert.match(String(minted.headers['x-request-id']), /^[0-9a-f-]{36}$/)
  })
})
