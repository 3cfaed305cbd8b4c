import { describe, it } from 'node:test'
import assert from 'node:assert/strict'
import { waitFor } from '@app/kit/testing'
import { internal, uniqueEmail, uniquePhone, useUserService } from './helper.ts'

describe('internal user routes', () => {
  const svc = useUserService()
  const inject = (method: 'GET' | 'POST' | 'PUT', url: string, payload?: object, headers: Record<string, string> = internal) =>
    svc.app.inject({ method, url, headers, ...(payload ? { payload } : {}) })
  const registered = async (body: object) => {
    const res = await svc.app.inject({ method: 'POST', url: '/api/v1/users/register', payload: body })
    assert.equal(res.statusCode, 201, res.body)
    return res.json()
  }

  it('refuses calls without the service credential, or with a wrong one', async () => {
    const none = await inject('POST', '/internal/users/verify-credentials', { email: 'a@example.com', password: 'x' }, {})
    assert.equal(none.statusCode, 401)
    assert.equal(none.json().code, 'unauthorized')
    const wrong = await inject('GET', '/internal/users/lookup?email=a@example.com', undefined, { 'x-service-token': 'guess' })
    assert.equal(wrong.statusCode, 401)
  })

  it('verifies correct credentials by email in any case, and by phone', async () => {
    const email = uniqueEmail()
    const phone = uniquePhone()
    const user = await registered({ email, phone, password: 'correct horse battery' })
    const byEmail = await inject('POST', '/internal/users/verify-credentials', { email: email.toUpperCase(), password: 'correct horse battery' })
    assert.equal(byEmail.statusCode, 200)
    assert.equal(byEmail.json().id, user.id)
    const byPhone = await inject('POST', '/internal/users/verify-credentials', { phone, password: 'correct horse battery' })
    assert.equal(byPhone.json().id, user.id)
  })

  it('gives the same 401 invalid_credentials for a wrong password and for an unknown user', async () => {
    const email = uniqueEmail()
    await registered({ email, password: 'correct horse battery' })
    const wrong = await inject('POST', '/internal/users/verify-credentials', { email, password: 'wrong horse battery' })
    const unknown = await inject('POST', '/internal/users/verify-credentials', { email: uniqueEmail('nobody'), password: 'wrong horse battery' })
    assert.equal(wrong.statusCode, 401)
    assert.equal(unknown.statusCode, 401)
    const strip = (body: Record<string, unknown>) => ({ ...body, requestId: undefined })
    assert.deepEqual(strip(wrong.json()), strip(unknown.json()))
    assert.equal(wrong.json().code, 'invalid_credentials')
  })

  it('refuses a password login for a phone-only user who never set a password', async () => {
    const phone = uniquePhone()
    await registered({ phone })
    const res = await inject('POST', '/internal/users/verify-credentials', { phone, password: 'anything at all' })
    assert.equal(res.statusCode, 401)
  })

  it('finds users by email or phone and answers 404 for unknown ones', async () => {
    const email = uniqueEmail()
    const user = await registered({ email, password: 'correct horse battery' })
    const found = await inject('GET', `/internal/users/lookup?email=${encodeURIComponent(email.toLowerCase())}`)
    assert.equal(found.json().id, user.id)
    const byId = await inject('GET', `/internal/users/${user.id}`)
    assert.equal(byId.json().email, user.email)
    const missing = await inject('GET', '/internal/users/lookup?phone=%2B14155550000')
    assert.equal(missing.statusCode, 404)
    const badId = await inject('GET', '/internal/users/not-a-uuid')
    assert.equal(badId.statusCode, 400)
  })

  it('stores a new password: the old one stops working, the new one works', async () => {
    const email = uniqueEmail()
    const user = await registered({ email, password: 'correct horse battery' })
    const set = await inject('PUT', `/internal/users/${user.id}/password`, { password: 'a brand new secret' })
    assert.equal(set.statusCode, 204)
    const old = await inject('POST', '/internal/users/verify-credentials', { email, password: 'correct horse battery' })
    assert.equal(old.statusCode, 401)
    const fresh = await inject('POST', '/internal/users/verify-credentials', { email, password: 'a brand new secret' })
    assert.equal(fresh.statusCode, 200)
    const tooShort = await inject('PUT', `/internal/users/${user.id}/password`, { password: 'short' })
    assert.equal(tooShort.statusCode, 400)
  })

  it('marks an email verified only while it is still the user\'s email', async () => {
    const email = uniqueEmail()
    const user = await registered({ email, password: 'correct horse battery' })
    const other = await inject('POST', `/internal/users/${user.id}/email-verified`, { email: uniqueEmail('other') })
    assert.equal(other.statusCode, 404)
    const ok = await inject('POST', `/internal/users/${user.id}/email-verified`, { email })
    assert.equal(ok.statusCode, 200)
    assert.equal(ok.json().emailVerified, true)
  })

  it('marks a phone verified and emits user.phone_verified', async () => {
    const phone = uniquePhone()
    const user = await registered({ phone })
    const res = await inject('POST', `/internal/users/${user.id}/phone-verified`, { phone })
    assert.equal(res.json().phoneVerified, true)
    const event = await waitFor(() => svc.events.find(e => e.type === 'user.phone_verified' && e.subject === user.id))
    assert.deepEqual(event.data, { userId: user.id, phone })
  })
})
