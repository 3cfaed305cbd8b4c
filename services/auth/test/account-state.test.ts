import { describe, it } from 'node:test'
import assert from 'node:assert/strict'
import { randomUUID } from 'node:crypto'
import { decodeJwt } from 'jose'
import { internalHeadersFor, waitFor } from '@app/kit/testing'
import { PASSWORD, useAuth } from './helper.ts'

const sidOf = (token: string) => String(decodeJwt(token).sid)

describe('disabled and deleted accounts', () => {
  const svc = useAuth()

  /** As an administrator's disable does it in the user service (the state only; its call to auth is tested below). */
  const disable = (userId: string) => svc.user.ctx.db.query('update users set disabled_at = now() where id = $1', [userId])
  /** An event of the user service, through its outbox, as its own routes emit them. */
  const userEvent = (type: 'user.disabled' | 'user.deleted', data: object, subject: string) =>
    svc.user.ctx.db.tx(tx => svc.user.ctx.events.emit(tx, type, data as never, subject))
  const ended = (userId: string, reason: string) => svc.events.filter(e => e.type === 'auth.session_ended' && e.subject === userId && (e.data as { reason: string }).reason === reason)
  const feed = async () => (await svc.auth.app.inject({ method: 'GET', url: '/internal/auth/revocations', headers: internalHeadersFor('auth', 'gateway') })).json() as { sessions: Array<{ id: string }> }

  it('refuses a disabled user\'s refresh with 403 account_disabled and ends that session', async () => {
    const { id, email } = await svc.register()
    const pair = await svc.login(email)
    await disable(id)
    const res = await svc.refresh(pair.refreshToken)
    assert.equal(res.statusCode, 403, res.body)
    assert.equal(res.json().code, 'account_disabled')
    assert.equal((await svc.validate(pair.accessToken)).valid, false)
    const event = await waitFor(() => ended(id, 'disabled')[0])
    assert.deepEqual(event.data, { userId: id, sessionId: sidOf(pair.accessToken), reason: 'disabled' })
  })

  it('starts no session for a disabled user (403 account_disabled after the right password, 401 with a wrong one)', async () => {
    const { id, email } = await svc.register()
    await disable(id)
    const right = await svc.post('/api/v1/auth/login', { email, password: PASSWORD })
    assert.equal(right.statusCode, 403, right.body)
    assert.equal(right.json().code, 'account_disabled')
    const wrong = await svc.post('/api/v1/auth/login', { email, password: 'not the password' })
    assert.equal(wrong.statusCode, 401)
  })

  it('the internal revoke route with reason disabled ends every session, one auth.session_ended each', async () => {
    const { id, email } = await svc.register()
    const pairs = [await svc.login(email), await svc.login(email)]
    const res = await svc.auth.app.inject({
      method: 'POST', url: `/internal/auth/users/${id}/revoke-sessions`, payload: { reason: 'disabled' }, headers: internalHeadersFor('auth', 'user')
    })
    assert.equal(res.statusCode, 200, res.body)
    assert.deepEqual(res.json(), { revoked: 2 })
    for (const pair of pairs) assert.equal((await svc.validate(pair.accessToken)).valid, false)
    await waitFor(() => ended(id, 'disabled').length === 2)
    assert.deepEqual(ended(id, 'disabled').map(e => (e.data as { sessionId: string }).sessionId).sort(), pairs.map(p => sidOf(p.accessToken)).sort())
  })

  it('user.disabled ends every session started before it (the consumer repeats the user service\'s call)', async () => {
    const { id, email } = await svc.register()
    const pairs = [await svc.login(email), await svc.login(email)]
    await userEvent('user.disabled', { userId: id, by: randomUUID() }, id)
    for (const pair of pairs) await waitFor(async () => !(await svc.validate(pair.accessToken)).valid)
    await waitFor(() => ended(id, 'disabled').length === 2)
    const sessions = new Set(pairs.map(p => sidOf(p.accessToken)))
    assert.ok((await feed()).sessions.filter(s => sessions.has(s.id)).length === 2, 'the gateway learns both')
  })

  it('user.deleted ends and erases the sessions, refresh tokens, two-step login data and code results; the feed still names them', async () => {
    const { id, email } = await svc.register()
    const pair = await svc.login(email)
    const db = svc.auth.ctx.db
    await db.query('insert into mfa_factors (user_id, channel, destination, enabled, created_at) values ($1, \'email\', $2, true, now())', [id, email])
    await db.query('insert into mfa_recovery_codes (user_id, hash) values ($1, $2)', [id, 'a'.repeat(64)])
    await db.query('insert into mfa_challenges (id, user_id, channel, created_at, expires_at) values ($1, $2, \'email\', now(), now() + interval \'5 minutes\')', [randomUUID(), id])
    await db.query('insert into otp_request_results (request_id, destination, purpose, status) values ($1, $2, \'mfa\', \'sent\')', [randomUUID(), email])

    await userEvent('user.deleted', { userId: id, email, phone: null, emailVerified: false, phoneVerified: false, deletedBy: 'self' }, id)
    const event = await waitFor(() => ended(id, 'deleted')[0])
    assert.deepEqual(event.data, { userId: id, sessionId: sidOf(pair.accessToken), reason: 'deleted' })

    const count = async (sql: string, param: string) => Number((await db.query<{ n: string }>(sql, [param])).rows[0]!.n)
    assert.equal(await count('select count(*) as n from sessions where user_id = $1', id), 0)
    assert.equal(await count('select count(*) as n from refresh_tokens t where not exists (select 1 from sessions s where s.id = t.session_id) and $1::text is not null', id), 0)
    assert.equal(await count('select count(*) as n from mfa_factors where user_id = $1', id), 0)
    assert.equal(await count('select count(*) as n from mfa_recovery_codes where user_id = $1', id), 0)
    assert.equal(await count('select count(*) as n from mfa_challenges where user_id = $1', id), 0)
    assert.equal(await count('select count(*) as n from otp_request_results where destination = $1', email), 0)
    assert.equal((await svc.refresh(pair.refreshToken)).statusCode, 401)
    assert.ok((await feed()).sessions.some(s => s.id === sidOf(pair.accessToken)), 'the erased session\'s access tokens are still refused')
  })
})
