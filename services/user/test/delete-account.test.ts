import { describe, it } from 'node:test'
import assert from 'node:assert/strict'
import { callerHeadersFor, internalHeadersFor, uniquePhone, waitFor } from '@app/kit/testing'
import { uniqueEmail } from './helper.ts'
import { PASSWORD, useAccountStack } from './stack.ts'

const REAUTH = { purpose: 'reauth', flow: 'reauth' }

describe('DELETE /api/v1/users/me and DELETE /api/v1/users/{id}', () => {
  const stack = useAccountStack()
  const deleteMe = (headers: Record<string, string>, body: object) => stack.user$('DELETE', '/api/v1/users/me', headers, body)
  const gone = async (id: string) => (await stack.user$('GET', `/internal/users/${id}`, internalHeadersFor('user'))).statusCode === 404

  it('erases the account with the password: sessions end, user.deleted carries the addresses, the email is free again', async () => {
    const email = uniqueEmail('bye')
    const user = await stack.register({ email, password: PASSWORD, name: 'Leaving' })
    await stack.verifyContact(user.id, { email: user.email! })
    const session = await stack.session(email)
    const res = await deleteMe(session.headers, { password: PASSWORD })
    assert.equal(res.statusCode, 204, res.body)
    assert.ok(await gone(user.id))
    assert.notEqual((await stack.refresh(session.refreshToken)).statusCode, 200)
    const event = await waitFor(() => stack.eventsOf('user.deleted', user.id)[0])
    assert.deepEqual(event.data, { userId: user.id, email: user.email, phone: null, emailVerified: true, phoneVerified: false, deletedBy: 'self', locale: 'en' })
    assert.equal((await stack.register({ email, password: PASSWORD })).email, user.email)
  })

  it('answers 400 password_incorrect naming /body/password for a wrong password, and keeps the account', async () => {
    const email = uniqueEmail('stay')
    const user = await stack.register({ email, password: PASSWORD })
    const session = await stack.session(email)
    const res = await deleteMe(session.headers, { password: 'not my password' })
    assert.equal(res.statusCode, 400)
    assert.equal(res.json().code, 'password_incorrect')
    assert.equal(res.json().errors[0].path, '/body/password')
    assert.equal(await gone(user.id), false)
  })

  it('answers 400 naming /body/password without proof or with both kinds, and 401 without a session', async () => {
    const email = uniqueEmail('both')
    await stack.register({ email, password: PASSWORD })
    const session = await stack.session(email)
    for (const body of [{}, { password: PASSWORD, otp: '123456' }]) {
      const res = await deleteMe(session.headers, body)
      assert.equal(res.statusCode, 400, res.body)
      assert.equal(res.json().errors[0].path, '/body/password')
    }
    assert.equal((await deleteMe({}, { password: PASSWORD })).statusCode, 401)
  })

  it('erases with a reauth code sent to the verified phone; a wrong code is otp_invalid', async () => {
    const phone = uniquePhone()
    const user = await stack.register({ phone })
    await stack.verifyContact(user.id, { phone })
    const headers = callerHeadersFor(user.id)
    const code = await stack.sentCode(phone, { ...REAUTH, userId: user.id })
    const wrong = await deleteMe(headers, { otp: String((Number(code) + 1) % 1_000_000).padStart(6, '0') })
    assert.equal(wrong.statusCode, 400)
    assert.equal(wrong.json().code, 'otp_invalid')
    const res = await deleteMe(headers, { otp: code })
    assert.equal(res.statusCode, 204, res.body)
    assert.ok(await gone(user.id))
  })

  it('does not accept a code of another flow (a phone-change code) as the proof', async () => {
    const phone = uniquePhone()
    const user = await stack.register({ phone })
    await stack.verifyContact(user.id, { phone })
    const code = await stack.sentCode(phone, { purpose: 'verification', flow: 'phone_change', userId: user.id })
    const res = await deleteMe(callerHeadersFor(user.id), { otp: code })
    assert.notEqual(res.statusCode, 204)
    assert.equal(await gone(user.id), false)
  })

  it('answers 400 no_verified_contact for a code when no address is verified', async () => {
    const user = await stack.register({ email: uniqueEmail('unverified'), password: PASSWORD })
    const res = await deleteMe(callerHeadersFor(user.id), { otp: '123456' })
    assert.equal(res.statusCode, 400)
    assert.equal(res.json().code, 'no_verified_contact')
  })

  it('lets an admin delete a user without proof (deletedBy admin), but not themself, and not a non-admin', async () => {
    const adminId = '0190a0a0-0000-7000-8000-0000000000ad'
    const admin = callerHeadersFor(adminId, ['user', 'admin'])
    const user = await stack.register()
    const plain = await stack.user$('DELETE', `/api/v1/users/${user.id}`, callerHeadersFor(user.id))
    assert.equal(plain.statusCode, 403)
    const self = await stack.user$('DELETE', `/api/v1/users/${adminId}`, admin)
    assert.equal(self.statusCode, 409)
    assert.equal(self.json().code, 'admin_self_moderation')
    const res = await stack.user$('DELETE', `/api/v1/users/${user.id}`, admin)
    assert.equal(res.statusCode, 204, res.body)
    assert.ok(await gone(user.id))
    const event = await waitFor(() => stack.eventsOf('user.deleted', user.id)[0])
    assert.equal((event.data as { deletedBy: string }).deletedBy, 'admin')
    assert.equal((await stack.user$('DELETE', `/api/v1/users/${user.id}`, admin)).statusCode, 404)
  })
})
