import { describe, it } from 'node:test'
import assert from 'node:assert/strict'
import { callerHeadersFor, uniquePhone, waitFor } from '@app/kit/testing'
import { useAccountStack } from './stack.ts'

/** @see issue 11, item 7: a new phone is used only once the code sent to it comes back. */
describe('phone change: pending until the code sent to the new phone is confirmed', () => {
  const stack = useAccountStack()
  const verify = (headers: Record<string, string>, otp: string) => stack.user$('POST', '/api/v1/users/me/phone/verify', headers, { otp })

  async function phoneUser () {
    const phone = uniquePhone()
    const user = await stack.register({ phone })
    await stack.verifyContact(user.id, { phone })
    return { user, phone, headers: callerHeadersFor(user.id) }
  }

  it('sends a code to the new phone; confirming it makes it the phone, verified, and names the previous one in user.updated', async () => {
    const { user, phone, headers } = await phoneUser()
    const next = uniquePhone()
    const before = (await stack.inbox(next)).length
    const res = await stack.user$('PATCH', '/api/v1/users/me', headers, { phone: next })
    assert.equal(res.statusCode, 200, res.body)
    assert.equal(res.json().phone, phone)
    assert.equal(res.json().phoneVerified, true)
    assert.equal(res.json().pendingPhone, next)
    const code = await stack.codeIn(next, before)
    const done = await verify(headers, code)
    assert.equal(done.statusCode, 200, done.body)
    assert.equal(done.json().phone, next)
    assert.equal(done.json().phoneVerified, true)
    assert.equal(done.json().pendingPhone, null)
    const updated = await waitFor(() => stack.eventsOf('user.updated', user.id).find(e => (e.data as { changes: string[] }).changes.includes('phone')))
    assert.equal((updated.data as { previousPhone?: string }).previousPhone, phone)
    assert.equal((updated.data as { phone: string }).phone, next)
    await waitFor(() => stack.eventsOf('user.phone_verified', user.id).find(e => (e.data as { phone: string }).phone === next))
  })

  it('answers a wrong code with otp_invalid and keeps the current phone', async () => {
    const { phone, headers } = await phoneUser()
    const next = uniquePhone()
    const before = (await stack.inbox(next)).length
    assert.equal((await stack.user$('PATCH', '/api/v1/users/me', headers, { phone: next })).statusCode, 200)
    const code = await stack.codeIn(next, before)
    const res = await verify(headers, String((Number(code) + 1) % 1_000_000).padStart(6, '0'))
    assert.equal(res.statusCode, 400)
    assert.equal(res.json().code, 'otp_invalid')
    const me = await stack.user$('GET', '/api/v1/users/me', headers)
    assert.equal(me.json().phone, phone)
  })

  it('answers 409 phone_change_not_pending when no new phone waits, and 400 naming /body/otp for a malformed code', async () => {
    const { headers } = await phoneUser()
    const res = await verify(headers, '123456')
    assert.equal(res.statusCode, 409)
    assert.equal(res.json().code, 'phone_change_not_pending')
    const bad = await verify(headers, '12ab')
    assert.equal(bad.statusCode, 400)
    assert.equal(bad.json().errors[0].path, '/body/otp')
  })
})
