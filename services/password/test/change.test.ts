import { describe, it } from 'node:test'
import assert from 'node:assert/strict'
import { waitFor } from '@app/kit/testing'
import { NEW_PASSWORD, PASSWORD, usePasswordStack } from './helper.ts'

describe('change password', () => {
  const stack = usePasswordStack()
  const change = (headers: Record<string, string>, currentPassword: string, newPassword: string) =>
    stack.post('/api/v1/password/change', { currentPassword, newPassword }, headers)

  it('needs the current password, keeps the caller\'s session and ends the others', async () => {
    const { id, email } = await stack.register()
    const here = await stack.session(email)
    const elsewhere = await stack.session(email)
    const res = await change(here.headers, PASSWORD, NEW_PASSWORD)
    assert.equal(res.statusCode, 204, res.body)
    assert.equal((await stack.refresh(elsewhere.refreshToken)).statusCode, 401)
    assert.equal((await stack.refresh(here.refreshToken)).statusCode, 200)
    assert.equal((await stack.login(email, NEW_PASSWORD)).statusCode, 200)
    const changed = await waitFor(() => stack.events.find(e => e.type === 'password.changed' && e.subject === id))
    assert.equal((changed.data as { reason: string }).reason, 'change')
  })

  it('refuses a wrong current password naming the field, and changes nothing', async () => {
    const { email } = await stack.register()
    const { headers } = await stack.session(email)
    const res = await change(headers, 'not my password', NEW_PASSWORD)
    assert.equal(res.statusCode, 400)
    assert.equal(res.json().code, 'current_password_invalid')
    assert.equal(res.json().errors[0].path, '/body/currentPassword')
    assert.equal((await stack.login(email, PASSWORD)).statusCode, 200)
  })

  it('refuses a common password and one equal to the current', async () => {
    const { email } = await stack.register()
    const { headers } = await stack.session(email)
    assert.equal((await change(headers, PASSWORD, 'iloveyou1')).json().errors[0].path, '/body/newPassword')
    assert.equal((await change(headers, PASSWORD, PASSWORD)).json().code, 'password_unchanged')
  })

  it('answers 401 without a verified caller, including forged identity headers', async () => {
    const { id } = await stack.register()
    assert.equal((await change({}, PASSWORD, NEW_PASSWORD)).statusCode, 401)
    const forged = await change({ 'x-user-id': id, 'x-user-roles': 'user' }, PASSWORD, NEW_PASSWORD)
    assert.equal(forged.statusCode, 401)
  })
})
