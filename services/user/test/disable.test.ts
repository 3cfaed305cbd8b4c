import { describe, it } from 'node:test'
import assert from 'node:assert/strict'
import { callerHeadersFor, internalHeadersFor, waitFor } from '@app/kit/testing'
import { uniqueEmail } from './helper.ts'
import { PASSWORD, useAccountStack } from './stack.ts'

describe('admin: disable and enable a user', () => {
  const stack = useAccountStack()
  const admin = callerHeadersFor('0190a0a0-0000-7000-8000-0000000000ad', ['user', 'admin'])
  const moderate = (id: string, action: 'disable' | 'enable', headers = admin) => stack.user$('POST', `/api/v1/users/${id}/${action}`, headers)

  it('disables: sessions end before the answer, login is refused with account_disabled, user.disabled names the admin', async () => {
    const email = uniqueEmail('off')
    const user = await stack.register({ email, password: PASSWORD })
    const session = await stack.session(email)
    const res = await moderate(user.id, 'disable')
    assert.equal(res.statusCode, 204, res.body)
    assert.notEqual((await stack.refresh(session.refreshToken)).statusCode, 200)
    const login = await stack.login(email)
    assert.equal(login.statusCode, 403, login.body)
    assert.equal(login.json().code, 'account_disabled')
    const event = await waitFor(() => stack.eventsOf('user.disabled', user.id)[0])
    assert.deepEqual(event.data, { userId: user.id, by: '0190a0a0-0000-7000-8000-0000000000ad' })
    const internal = await stack.user$('GET', `/internal/users/${user.id}`, internalHeadersFor('user'))
    assert.equal(internal.json().disabled, true)
    const me = await stack.user$('GET', '/api/v1/users/me', session.headers)
    assert.equal(me.statusCode, 403)
    assert.equal(me.json().code, 'account_disabled')
  })

  it('enables again: login works, user.enabled is emitted; both are idempotent', async () => {
    const email = uniqueEmail('on')
    const user = await stack.register({ email, password: PASSWORD })
    assert.equal((await moderate(user.id, 'disable')).statusCode, 204)
    assert.equal((await moderate(user.id, 'disable')).statusCode, 204)
    assert.equal((await moderate(user.id, 'enable')).statusCode, 204)
    assert.equal((await moderate(user.id, 'enable')).statusCode, 204)
    assert.equal((await stack.login(email)).statusCode, 200)
    await waitFor(() => stack.eventsOf('user.enabled', user.id)[0])
    assert.equal(stack.eventsOf('user.disabled', user.id).length, 1)
    assert.equal(stack.eventsOf('user.enabled', user.id).length, 1)
  })

  it('refuses an admin disabling themself (409 admin_self_moderation), a non-admin (403), an unknown user (404)', async () => {
    const self = await moderate('0190a0a0-0000-7000-8000-0000000000ad', 'disable')
    assert.equal(self.statusCode, 409)
    assert.equal(self.json().code, 'admin_self_moderation')
    assert.equal(self.json().errors[0].path, '/params/id')
    const user = await stack.register()
    const plain = await moderate(user.id, 'disable', callerHeadersFor(user.id))
    assert.equal(plain.statusCode, 403)
    assert.equal(plain.json().code, 'forbidden')
    const unknown = await moderate('0190a0a0-0000-7000-8000-000000000000', 'disable')
    assert.equal(unknown.statusCode, 404)
    assert.equal(unknown.json().code, 'user_not_found')
    const bad = await moderate('not-a-uuid', 'enable')
    assert.equal(bad.statusCode, 400)
    assert.equal(bad.json().errors[0].path, '/params/id')
  })
})
