import { describe, it } from 'node:test'
import assert from 'node:assert/strict'
import { waitFor } from '@app/kit/testing'
import { internal, registerUser, uniqueEmail, uniquePhone, useUserService } from './helper.ts'

const URL = '/internal/users/find-or-create-by-email'

describe('POST /internal/users/find-or-create-by-email', () => {
  const svc = useUserService()
  const call = (payload: object, headers: Record<string, string> = internal) =>
    svc.app.inject({ method: 'POST', url: URL, headers, payload })
  const eventsOf = (userId: string) => svc.events.filter(e => e.subject === userId)

  it('needs the service credential', async () => {
    const res = await call({ email: uniqueEmail(), create: true }, {})
    assert.equal(res.statusCode, 401)
  })

  it('answers 404 user_not_found for an unknown email when it may not create', async () => {
    const res = await call({ email: uniqueEmail('nobody'), create: false })
    assert.equal(res.statusCode, 404)
    assert.equal(res.json().code, 'user_not_found')
  })

  it('creates a verified account without a password: user.registered says so (no verification link), and a second call finds it', async () => {
    const email = uniqueEmail('new')
    const res = await call({ email, name: ' Ada ', create: true })
    assert.equal(res.statusCode, 200, res.body)
    const { user, created } = res.json()
    assert.equal(created, true)
    assert.equal(user.email, email.replace(/@.*/, '@example.com'))
    assert.equal(user.emailVerified, true)
    assert.equal(user.name, 'Ada')
    assert.equal(user.disabled, false)
    await waitFor(() => eventsOf(user.id).length === 2)
    const registered = eventsOf(user.id).find(e => e.type === 'user.registered')
    assert.equal((registered?.data as { emailVerified?: boolean }).emailVerified, true)
    assert.ok(eventsOf(user.id).some(e => e.type === 'user.email_verified'))

    const again = await call({ email: email.toUpperCase(), create: true })
    assert.equal(again.json().created, false)
    assert.equal(again.json().claimed, false)
    assert.equal(again.json().user.id, user.id)
    // No password was set: a password login cannot get in.
    const login = await svc.app.inject({ method: 'POST', url: '/internal/users/verify-credentials', headers: internal, payload: { email, password: 'anything at all' } })
    assert.equal(login.statusCode, 401)
  })

  const passwordLogin = (email: string, password: string) =>
    svc.app.inject({ method: 'POST', url: '/internal/users/verify-credentials', headers: internal, payload: { email, password } })

  it('finds an existing account with an unverified email and claims it: verified, password cleared, claimed: true', async () => {
    // Account pre-hijacking: whoever registered the address never proved it; the person who just did gets the account.
    const password = 'an attacker chose this'
    const user = await registerUser(svc.app, { email: uniqueEmail(), password })
    assert.equal(user.emailVerified, false)
    assert.equal((await passwordLogin(user.email!, password)).statusCode, 200)
    const res = await call({ email: user.email!, create: false })
    assert.equal(res.statusCode, 200)
    assert.equal(res.json().created, false)
    assert.equal(res.json().claimed, true)
    assert.equal(res.json().user.id, user.id)
    assert.equal(res.json().user.emailVerified, true)
    const login = await passwordLogin(user.email!, password)
    assert.equal(login.statusCode, 401)
    assert.equal(login.json().code, 'invalid_credentials')
    const verified = await waitFor(() => eventsOf(user.id).find(e => e.type === 'user.email_verified'))
    assert.deepEqual(verified.data, { userId: user.id, email: user.email, claimed: true })
    // Once: the account is verified now, a second proof claims nothing.
    const again = await call({ email: user.email!, create: false })
    assert.equal(again.json().claimed, false)
  })

  it('drops the phone the unverified owner added when the account is claimed: it could still log them in by code', async () => {
    const phone = uniquePhone()
    const user = await registerUser(svc.app, { email: uniqueEmail(), phone, password: 'an attacker chose this' })
    await svc.service.ctx.db.query('update users set phone_verified = true where id = $1', [user.id])
    const res = await call({ email: user.email!, create: false })
    assert.equal(res.json().claimed, true)
    assert.equal(res.json().user.phone, null)
    assert.equal(res.json().user.phoneVerified, false)
    const byPhone = await svc.app.inject({ method: 'GET', url: '/internal/users/lookup', headers: internal, query: { phone } })
    assert.equal(byPhone.statusCode, 404)
  })

  it('leaves an account whose email was already verified as it is: its password still works', async () => {
    const password = 'the owner chose this'
    const user = await registerUser(svc.app, { email: uniqueEmail(), password })
    await svc.service.ctx.db.query('update users set email_verified = true where id = $1', [user.id])
    const res = await call({ email: user.email!, create: false })
    assert.equal(res.statusCode, 200)
    assert.equal(res.json().claimed, false)
    assert.equal(res.json().user.id, user.id)
    assert.equal((await passwordLogin(user.email!, password)).statusCode, 200)
  })

  it('lets exactly one of racing calls claim an unverified account', async () => {
    const user = await registerUser(svc.app)
    const answers = await Promise.all([1, 2, 3, 4].map(() => call({ email: user.email!, create: false })))
    for (const res of answers) assert.equal(res.statusCode, 200, res.body)
    assert.equal(answers.filter(res => res.json().claimed).length, 1)
  })

  it('gives racing calls for one new email the same account, created once', async () => {
    const email = uniqueEmail('race')
    const answers = await Promise.all([1, 2, 3, 4].map(() => call({ email, create: true })))
    for (const res of answers) assert.equal(res.statusCode, 200, res.body)
    const ids = new Set(answers.map(res => res.json().user.id))
    assert.equal(ids.size, 1)
    assert.equal(answers.filter(res => res.json().created).length, 1)
  })

  it('refuses a bad email naming the field', async () => {
    const res = await call({ email: 'not an email', create: true })
    assert.equal(res.statusCode, 400)
    assert.equal(res.json().code, 'validation_failed')
    assert.match(JSON.stringify(res.json().errors), /\/body\/email/)
  })
})
