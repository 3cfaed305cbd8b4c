import { randomUUID } from 'node:crypto'
import { describe, it } from 'node:test'
import assert from 'node:assert/strict'
import { callerHeadersFor, waitFor } from '@app/kit/testing'
import { as, internal, registerUser, uniqueEmail, uniquePhone, useUserService } from './helper.ts'

describe('GET /api/v1/users/me', () => {
  const svc = useUserService()
  const me = (headers: Record<string, string>) => svc.app.inject({ method: 'GET', url: '/api/v1/users/me', headers })

  it('answers 401 unauthorized without an identity', async () => {
    const res = await me({})
    assert.equal(res.statusCode, 401)
    assert.equal(res.json().code, 'unauthorized')
  })

  it('answers 401 for forged identity headers: x-user-id alone, or a wrong signature', async () => {
    const user = await registerUser(svc.app)
    assert.equal((await me({ 'x-user-id': user.id, 'x-user-roles': 'user,admin' })).statusCode, 401)
    const signed = callerHeadersFor(user.id)
    assert.equal((await me({ ...signed, 'x-identity-signature': signed['x-identity-signature']!.replace(/^./, c => c === 'A' ? 'B' : 'A') })).statusCode, 401)
    assert.equal((await me({ ...callerHeadersFor(user.id), 'x-user-roles': 'user,admin' })).statusCode, 401, 'roles not covered by the signature')
  })

  it('returns the caller\'s account without secrets', async () => {
    const user = await registerUser(svc.app, { email: uniqueEmail(), password: 'correct horse battery', name: 'Ada' })
    const res = await me(as(user))
    assert.equal(res.statusCode, 200)
    assert.deepEqual(res.json(), { ...user, updatedAt: res.json().updatedAt })
    assert.ok(!('passwordHash' in res.json()))
  })

  it('answers 401 when the account of a valid identity no longer exists', async () => {
    const res = await me(callerHeadersFor(randomUUID()))
    assert.equal(res.statusCode, 401)
    assert.equal(res.json().code, 'unauthorized')
  })
})

describe('PATCH /api/v1/users/me', () => {
  const svc = useUserService()
  const patch = (user: { id: string } | null, payload: unknown) => svc.app.inject({
    method: 'PATCH', url: '/api/v1/users/me', headers: user ? as(user) : {}, payload: payload as object
  })
  const verifyEmail = async (user: { id: string, email: string | null }) => {
    const res = await svc.app.inject({ method: 'POST', url: `/internal/users/${user.id}/email-verified`, headers: internal, payload: { email: user.email } })
    assert.equal(res.json().emailVerified, true)
  }
  const updated = (userId: string) => svc.events.filter(e => e.type === 'user.updated' && e.subject === userId)

  it('answers 401 without an identity, before looking at the body', async () => {
    const res = await patch(null, { nonsense: true })
    assert.equal(res.statusCode, 401)
  })

  it('sets the locale messages are written in, and refuses a malformed one', async () => {
    const user = await registerUser(svc.app)
    const res = await patch(user, { locale: 'de' })
    assert.equal(res.statusCode, 200, res.body)
    assert.equal(res.json().locale, 'de')
    const event = await waitFor(() => updated(user.id)[0])
    assert.deepEqual((event.data as { changes: string[] }).changes, ['locale'])
    const bad = await patch(user, { locale: 'German' })
    assert.equal(bad.statusCode, 400)
    assert.equal(bad.json().errors[0].path, '/body/locale')
  })

  it('changes the email: unverified again, normalised, and user.updated with emailChanged and previousEmail', async () => {
    const user = await registerUser(svc.app)
    await verifyEmail(user)
    const next = uniqueEmail('moved')
    const res = await patch(user, { email: `  ${next} ` })
    assert.equal(res.statusCode, 200, res.body)
    assert.equal(res.json().email, next.replace(/@.*/, '@example.com'))
    assert.equal(res.json().emailVerified, false)
    const event = await waitFor(() => updated(user.id)[0])
    assert.deepEqual(event.data, {
      userId: user.id,
      changes: ['email'],
      email: res.json().email,
      phone: null,
      name: null,
      locale: 'en',
      emailChanged: true,
      previousEmail: user.email
    })
    assert.ok(!JSON.stringify(event).includes('argon2'))
  })

  it('keeps the verification when the same email is sent in another case, and emits nothing', async () => {
    const user = await registerUser(svc.app)
    await verifyEmail(user)
    const res = await patch(user, { email: user.email!.toUpperCase() })
    assert.equal(res.statusCode, 200)
    assert.equal(res.json().email, user.email)
    assert.equal(res.json().emailVerified, true)
    const marker = await registerUser(svc.app)
    await patch(marker, { name: 'Marker' })
    await waitFor(() => updated(marker.id)[0])
    assert.deepEqual(updated(user.id), [])
  })

  it('changes the name and phone; a new phone is unverified; changes lists both', async () => {
    const phone = uniquePhone()
    const user = await registerUser(svc.app, { phone })
    await svc.app.inject({ method: 'POST', url: `/internal/users/${user.id}/phone-verified`, headers: internal, payload: { phone } })
    const res = await patch(user, { name: '  Grace  ', phone: uniquePhone() })
    assert.equal(res.statusCode, 200, res.body)
    assert.equal(res.json().name, 'Grace')
    assert.equal(res.json().phoneVerified, false)
    const event = await waitFor(() => updated(user.id)[0])
    assert.deepEqual((event.data as { changes: string[] }).changes, ['name', 'phone'])
    assert.equal((event.data as { emailChanged: boolean }).emailChanged, false)
  })

  it('answers 409 conflict naming the field for a taken email (in another case) or phone', async () => {
    const phone = uniquePhone()
    const taken = await registerUser(svc.app, { email: uniqueEmail('taken'), phone, password: 'correct horse battery' })
    const user = await registerUser(svc.app)
    const email = await patch(user, { email: taken.email!.toUpperCase() })
    assert.equal(email.statusCode, 409)
    assert.equal(email.json().code, 'conflict')
    assert.deepEqual(email.json().errors, [{ path: '/body/email', message: 'is already registered' }])
    const byPhone = await patch(user, { phone })
    assert.equal(byPhone.statusCode, 409)
    assert.equal(byPhone.json().errors[0].path, '/body/phone')
    assert.equal((await svc.app.inject({ method: 'GET', url: '/api/v1/users/me', headers: as(user) })).json().email, user.email)
  })

  it('removes the phone while an email remains, and refuses to remove the only contact', async () => {
    const withEmail = await registerUser(svc.app, { email: uniqueEmail(), phone: uniquePhone(), password: 'correct horse battery' })
    const removed = await patch(withEmail, { phone: null })
    assert.equal(removed.statusCode, 200)
    assert.equal(removed.json().phone, null)
    const phoneOnly = await registerUser(svc.app, { phone: uniquePhone() })
    const refused = await patch(phoneOnly, { phone: null })
    assert.equal(refused.statusCode, 400)
    assert.equal(refused.json().code, 'validation_failed')
    assert.equal(refused.json().errors[0].path, '/body/phone')
  })

  const bad: Array<[string, unknown, string]> = [
    ['an empty body', {}, '/body'],
    ['an invalid email', { email: 'nope' }, '/body/email'],
    ['a phone without +', { phone: '4155550123' }, '/body/phone'],
    ['a null email', { email: null }, '/body/email'],
    ['an unknown field', { roles: ['admin'] }, '/body/roles'],
    ['a 101-character name', { name: 'x'.repeat(101) }, '/body/name']
  ]
  for (const [what, body, path] of bad) {
    it(`answers 400 validation_failed naming ${path} for ${what}`, async () => {
      const user = await registerUser(svc.app)
      const res = await patch(user, body)
      assert.equal(res.statusCode, 400, res.body)
      assert.equal(res.json().code, 'validation_failed')
      assert.equal(res.json().errors[0].path, path)
    })
  }
})
