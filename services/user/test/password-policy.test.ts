import { describe, it } from 'node:test'
import assert from 'node:assert/strict'
import { internal, registerUser, uniqueEmail, uniquePhone, useUserService } from './helper.ts'

describe('password policy', () => {
  const svc = useUserService()
  const register = (payload: object) => svc.app.inject({ method: 'POST', url: '/api/v1/users/register', payload })
  const setPassword = (id: string, password: string) => svc.app.inject({
    method: 'PUT', url: `/internal/users/${id}/password`, headers: internal, payload: { password }
  })
  const refusedFor = (res: { statusCode: number, json(): { code: string, errors: Array<{ path: string, message: string }> } }, pattern: RegExp) => {
    assert.equal(res.statusCode, 400)
    assert.equal(res.json().code, 'validation_failed')
    assert.equal(res.json().errors[0]!.path, '/body/password')
    assert.match(res.json().errors[0]!.message, pattern)
  }

  it('refuses a common password at registration, in any case', async () => {
    refusedFor(await register({ email: uniqueEmail(), password: 'Password1' }), /most common/)
  })

  it('refuses the account\'s own email or phone as its password', async () => {
    const email = uniqueEmail()
    refusedFor(await register({ email, password: email.toLowerCase() }), /email/)
    const phone = uniquePhone()
    refusedFor(await register({ phone, password: phone }), /phone/)
  })

  it('counts characters, not UTF-16 units: 8 emoji are enough and 128 are allowed', async () => {
    assert.equal((await register({ email: uniqueEmail(), password: '🔑'.repeat(8) })).statusCode, 201)
    assert.equal((await register({ email: uniqueEmail(), password: '🔑'.repeat(128) })).statusCode, 201)
    refusedFor(await register({ email: uniqueEmail(), password: '🔑'.repeat(129) }), /at most 128/)
  })

  it('refuses a common password, and the account\'s email, when setting a password', async () => {
    const user = await registerUser(svc.app)
    refusedFor(await setPassword(user.id, 'qwertyuiop'), /most common/)
    refusedFor(await setPassword(user.id, user.email!.toUpperCase()), /email/)
  })

  it('answers 400 password_unchanged for the current password, and stores a new one', async () => {
    const user = await registerUser(svc.app, { email: uniqueEmail(), password: 'correct horse battery' })
    const same = await setPassword(user.id, 'correct horse battery')
    assert.equal(same.statusCode, 400)
    assert.equal(same.json().code, 'password_unchanged')
    assert.equal((await setPassword(user.id, 'staple battery horse')).statusCode, 204)
  })

  it('lets a phone-only user without a password set a first one, and answers 404 for an unknown user', async () => {
    const user = await registerUser(svc.app, { phone: uniquePhone() })
    assert.equal((await setPassword(user.id, 'correct horse battery')).statusCode, 204)
    const unknown = await setPassword('01890000-0000-7000-8000-000000000000', 'correct horse battery')
    assert.equal(unknown.statusCode, 404)
    assert.equal(unknown.json().code, 'user_not_found')
  })
})
