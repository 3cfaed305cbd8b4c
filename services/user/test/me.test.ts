import { randomUUID } from 'node:crypto'
import { describe, it } from 'node:test'
import assert from 'node:assert/strict'
import { openSecrets } from '@app/contracts/delivery'
import { callerHeadersFor, testKeys, waitFor } from '@app/kit/testing'
import { as, internal, registerUser, uniqueEmail, uniquePhone, useUserService } from './helper.ts'

describe('GET /api/v1/users/me', () => {
  const svc = useUserService()
  const me = (headers: Record<string, string>) => svc.app.inject({ method: 'GET', url: '/api/v1/users/me', headers })

  it('answers 401 unauthorized without an identity', async () => {
    const res = await me({})
    assert.equal(res.statusCode, 401)
    assert.equal(res.json().code, 'unauthorized')
  })

  it('answers 401 for forged identity: the old x-user-* headers, or an altered assertion', async () => {
    const user = await registerUser(svc.app)
    assert.equal((await me({ 'x-user-id': user.id, 'x-user-roles': 'user,admin' })).statusCode, 401)
    const signed = { ...callerHeadersFor(user.id) }
    const [type, kid, payload, mac] = signed['x-identity-assertion']!.split('.')
    const claims = JSON.parse(Buffer.from(payload!, 'base64url').toString())
    const altered = Buffer.from(JSON.stringify({ ...claims, roles: ['user', 'admin'] })).toString('base64url')
    const res = await me({ ...signed, 'x-identity-assertion': [type, kid, altered, mac].join('.') })
    assert.equal(res.statusCode, 401)
    assert.equal(res.json().code, 'unauthorized')
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
  const patch = (user: { id: string } | null, payload: unknown, options: { authTime?: number | null } = {}) => svc.app.inject({
    method: 'PATCH', url: '/api/v1/users/me', headers: user ? callerHeadersFor(user.id, ['user'], null, options) : {}, payload: payload as object
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

  it('keeps a new email pending: the current one stays in use until the link is used, the previous address gets an undo link', async () => {
    const user = await registerUser(svc.app)
    await verifyEmail(user)
    const next = uniqueEmail('moved')
    const res = await patch(user, { email: `  ${next} ` })
    assert.equal(res.statusCode, 200, res.body)
    assert.equal(res.json().email, user.email)
    assert.equal(res.json().emailVerified, true)
    assert.equal(res.json().pendingEmail, next.replace(/@.*/, '@example.com'))
    const event = await waitFor(() => updated(user.id)[0])
    assert.deepEqual(event.data, {
      userId: user.id,
      changes: ['pending_email'],
      email: user.email,
      phone: null,
      name: null,
      locale: 'en',
      emailChanged: false
    })
    const requested = await waitFor(() => svc.events.find(e => e.type === 'user.email_change_requested' && e.subject === user.id))
    const data = requested.data as { previousEmail: string, newEmail: string, sealed: string }
    assert.equal(data.previousEmail, user.email)
    assert.equal(data.newEmail, res.json().pendingEmail)
    const { undoLink } = openSecrets(data.sealed, testKeys().seal)
    assert.match(undoLink!, /\/api\/v1\/users\/email-change\/undo\?token=[A-Za-z0-9_-]{43}$/)
    assert.ok(!JSON.stringify(svc.events).includes(new URL(undoLink!).searchParams.get('token')!), 'the undo token leaves only sealed')
    assert.ok(!JSON.stringify(event).includes('argon2'))
  })

  it('withdraws a pending email when the current one is sent again', async () => {
    const user = await registerUser(svc.app)
    assert.equal((await patch(user, { email: uniqueEmail('later') })).statusCode, 200)
    const res = await patch(user, { email: user.email })
    assert.equal(res.statusCode, 200, res.body)
    assert.equal(res.json().pendingEmail, null)
    assert.equal(res.json().email, user.email)
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

  it('changes the name at once, with no proof needed', async () => {
    const user = await registerUser(svc.app)
    const res = await patch(user, { name: '  Grace  ' }, { authTime: null })
    assert.equal(res.statusCode, 200, res.body)
    assert.equal(res.json().name, 'Grace')
    const event = await waitFor(() => updated(user.id)[0])
    assert.deepEqual((event.data as { changes: string[] }).changes, ['name'])
    assert.equal((event.data as { emailChanged: boolean }).emailChanged, false)
  })

  it('answers 403 reauth_required for an email or phone change without a recent proof, and changes nothing', async () => {
    const user = await registerUser(svc.app)
    const stale = { authTime: Math.floor(Date.now() / 1000) - 3600 }
    for (const body of [{ email: uniqueEmail('late') }, { phone: uniquePhone() }, { name: 'Also this', email: uniqueEmail('late') }]) {
      const res = await patch(user, body, stale)
      assert.equal(res.statusCode, 403, res.body)
      assert.equal(res.json().code, 'reauth_required')
    }
    const me = await svc.app.inject({ method: 'GET', url: '/api/v1/users/me', headers: as(user) })
    assert.equal(me.json().pendingEmail, null)
    assert.equal(me.json().name, null)
  })

  it('takes currentPassword as the proof instead, and answers 400 password_incorrect naming it when wrong', async () => {
    const user = await registerUser(svc.app)
    const stale = { authTime: Math.floor(Date.now() / 1000) - 3600 }
    const wrong = await patch(user, { email: uniqueEmail('pw'), currentPassword: 'not the password' }, stale)
    assert.equal(wrong.statusCode, 400, wrong.body)
    assert.equal(wrong.json().code, 'password_incorrect')
    assert.equal(wrong.json().errors[0].path, '/body/currentPassword')
    const next = uniqueEmail('pw')
    const right = await patch(user, { email: next, currentPassword: 'correct horse battery' }, stale)
    assert.equal(right.statusCode, 200, right.body)
    assert.equal(right.json().pendingEmail, next.replace(/@.*/, '@example.com'))
  })

  it('answers 429 rate_limited after five wrong currentPasswords, even for the right one, so a stolen token is no password oracle', async () => {
    const user = await registerUser(svc.app)
    const stale = { authTime: Math.floor(Date.now() / 1000) - 3600 }
    for (let i = 0; i < 5; i++) {
      assert.equal((await patch(user, { email: uniqueEmail('guess'), currentPassword: `guess ${i} wrong` }, stale)).json().code, 'password_incorrect')
    }
    const res = await patch(user, { email: uniqueEmail('guess'), currentPassword: 'correct horse battery' }, stale)
    assert.equal(res.statusCode, 429, res.body)
    assert.equal(res.json().code, 'rate_limited')
    assert.ok(Number(res.headers['retry-after']) > 0)
  })

  it('checks at most five of many wrong currentPasswords sent at once: the others get 429 without a check', async () => {
    const user = await registerUser(svc.app)
    const stale = { authTime: Math.floor(Date.now() / 1000) - 3600 }
    const answers = await Promise.all(Array.from({ length: 20 }, (_, i) =>
      patch(user, { email: uniqueEmail('burst'), currentPassword: `burst ${i} wrong` }, stale)))
    const codes = answers.map(res => res.json().code as string)
    assert.equal(codes.filter(c => c === 'password_incorrect').length, 5, codes.join(' '))
    assert.equal(codes.filter(c => c === 'rate_limited').length, 15, codes.join(' '))
    assert.equal((await patch(user, { email: uniqueEmail('burst'), currentPassword: 'correct horse battery' }, stale)).statusCode, 429)
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
