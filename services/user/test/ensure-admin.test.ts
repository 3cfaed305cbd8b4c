import { describe, it } from 'node:test'
import assert from 'node:assert/strict'
import { ConfigError } from '@app/kit/config'
import { startTestService, waitFor } from '@app/kit/testing'
import { configuredAdmin, ensureAdmin } from '../src/admin.ts'
import { createPasswordHasher } from '../src/password-hasher.ts'
import { userService } from '../src/service.ts'
import { CHEAP_HASHING, internal, registerUser, uniqueEmail, useUserService } from './helper.ts'

describe('ensureAdmin', () => {
  const svc = useUserService()
  const deps = () => ({
    db: svc.service.ctx.db,
    events: svc.service.ctx.events,
    hasher: createPasswordHasher({ memoryCost: 1024, timeCost: 1, parallelism: 1 })
  })
  const verify = (email: string, password: string) => svc.app.inject({
    method: 'POST', url: '/internal/users/verify-credentials', headers: internal, payload: { email, password }
  })

  it('creates an admin that can log in, emits user.registered, and is idempotent', async () => {
    const email = uniqueEmail('boss')
    const first = await ensureAdmin(deps(), { email, password: 'correct horse battery' })
    assert.equal(first.created, true)
    assert.deepEqual(first.user.roles, ['user', 'admin'])
    assert.equal(first.user.emailVerified, false)
    assert.equal((await verify(email, 'correct horse battery')).statusCode, 200)
    await waitFor(() => svc.events.find(e => e.type === 'user.registered' && e.subject === first.user.id))
    const again = await ensureAdmin(deps(), { email: email.toUpperCase(), password: 'correct horse battery' })
    assert.deepEqual({ created: again.created, promoted: again.promoted, id: again.user.id }, { created: false, promoted: false, id: first.user.id })
  })

  it('promotes an existing account without touching its password, once', async () => {
    const user = await registerUser(svc.app, { email: uniqueEmail(), password: 'correct horse battery' })
    const promoted = await ensureAdmin(deps(), { email: user.email!, password: 'a different password' })
    assert.deepEqual({ created: promoted.created, promoted: promoted.promoted }, { created: false, promoted: true })
    assert.deepEqual(promoted.user.roles, ['user', 'admin'])
    assert.equal((await verify(user.email!, 'correct horse battery')).statusCode, 200)
    assert.equal((await verify(user.email!, 'a different password')).statusCode, 401)
    const again = await ensureAdmin(deps(), { email: user.email! })
    assert.equal(again.promoted, false)
    await waitFor(() => svc.events.find(e => e.type === 'user.updated' && e.subject === user.id))
    const updates = svc.events.filter(e => e.type === 'user.updated' && e.subject === user.id)
    assert.equal(updates.length, 1)
    assert.deepEqual((updates[0]!.data as { changes: string[] }).changes, ['roles'])
  })

  it('refuses an invalid email, a common password, and a missing password for a new account', async () => {
    await assert.rejects(ensureAdmin(deps(), { email: 'nope', password: 'correct horse battery' }),
      (err: { code: string, errors: Array<{ path: string }> }) => err.code === 'validation_failed' && err.errors[0]!.path === '/email')
    await assert.rejects(ensureAdmin(deps(), { email: uniqueEmail(), password: 'password1' }),
      (err: { errors: Array<{ path: string }> }) => err.errors[0]!.path === '/password')
    await assert.rejects(ensureAdmin(deps(), { email: uniqueEmail() }),
      (err: { errors: Array<{ path: string, message: string }> }) => /required/.test(err.errors[0]!.message))
  })
})

describe('ADMIN_EMAIL and ADMIN_PASSWORD', () => {
  it('are both or neither', () => {
    assert.equal(configuredAdmin({}), undefined)
    assert.deepEqual(configuredAdmin({ ADMIN_EMAIL: 'a@example.com', ADMIN_PASSWORD: 'correct horse battery' }), { email: 'a@example.com', password: 'correct horse battery' })
    assert.throws(() => configuredAdmin({ ADMIN_EMAIL: 'a@example.com' }), (err: ConfigError) => err instanceof ConfigError && /ADMIN_PASSWORD is required/.test(err.message))
    assert.throws(() => configuredAdmin({ ADMIN_PASSWORD: 'correct horse battery' }), (err: ConfigError) => /ADMIN_EMAIL is required/.test(err.message))
  })

  it('make the user service create the admin at start-up', async (t) => {
    const email = uniqueEmail('startup')
    const service = await startTestService(userService, { ...CHEAP_HASHING, ADMIN_EMAIL: email, ADMIN_PASSWORD: 'correct horse battery' })
    t.after(() => service.cleanup())
    const res = await service.app.inject({ method: 'GET', url: `/internal/users/lookup?email=${encodeURIComponent(email)}`, headers: internal })
    assert.equal(res.statusCode, 200)
    assert.deepEqual(res.json().roles, ['user', 'admin'])
  })
})
