import { describe, it } from 'node:test'
import assert from 'node:assert/strict'
import { randomUUID } from 'node:crypto'
import { decodeJwt } from 'jose'
import { callerHeadersFor, internalHeadersFor, waitFor } from '@app/kit/testing'
import { PASSWORD, useAuth } from './helper.ts'

const bearer = (token: string) => ({ authorization: `Bearer ${token}` })
const sidOf = (token: string) => String(decodeJwt(token).sid)

describe('GET and DELETE /api/v1/auth/sessions', () => {
  const svc = useAuth()

  async function loginFrom (email: string, ip: string, userAgent: string) {
    const res = await svc.auth.app.inject({ method: 'POST', url: '/api/v1/auth/login', payload: { email, password: PASSWORD }, remoteAddress: ip, headers: { 'user-agent': userAgent } })
    assert.equal(res.statusCode, 200, res.body)
    return res.json() as { accessToken: string, refreshToken: string }
  }
  const list = (headers: Record<string, string>) => svc.auth.app.inject({ method: 'GET', url: '/api/v1/auth/sessions', headers })
  const end = (id: string, headers: Record<string, string>) => svc.auth.app.inject({ method: 'DELETE', url: `/api/v1/auth/sessions/${id}`, headers })

  it('lists the active sessions with address, user agent, times and which one is the caller\'s', async () => {
    const { id, email } = await svc.register()
    const laptop = await loginFrom(email, '198.51.100.7', 'Laptop/1.0')
    const phone = await loginFrom(email, '203.0.113.9', 'Phone/2.0')
    const ended = await loginFrom(email, '192.0.2.1', 'Old/0.1')
    assert.equal((await svc.post('/api/v1/auth/logout', { refreshToken: ended.refreshToken })).statusCode, 204)

    // Through the gateway (its identity assertion) and with the bearer token alone: the same answer.
    for (const headers of [callerHeadersFor(id, ['user'], sidOf(phone.accessToken)), bearer(phone.accessToken)]) {
      const res = await list(headers)
      assert.equal(res.statusCode, 200, res.body)
      const items = res.json().items as Array<Record<string, unknown>>
      assert.deepEqual(items.map(s => s.id).sort(), [sidOf(laptop.accessToken), sidOf(phone.accessToken)].sort())
      const mine = items.find(s => s.id === sidOf(phone.accessToken))!
      assert.equal(mine.current, true)
      assert.equal(mine.ip, '203.0.113.9')
      assert.equal(mine.userAgent, 'Phone/2.0')
      assert.ok(!Number.isNaN(Date.parse(String(mine.createdAt))) && !Number.isNaN(Date.parse(String(mine.lastUsedAt))))
      const other = items.find(s => s.id === sidOf(laptop.accessToken))!
      assert.deepEqual([other.current, other.ip, other.userAgent], [false, '198.51.100.7', 'Laptop/1.0'])
    }
  })

  it('moves lastUsedAt on refresh', async (t) => {
    const { email } = await svc.register()
    const pair = await loginFrom(email, '198.51.100.7', 'Laptop/1.0')
    const later = new Date(Date.now() + 3_600_000)
    t.mock.method(svc.auth.ctx, 'now', () => later)
    const refreshed = await svc.refresh(pair.refreshToken)
    assert.equal(refreshed.statusCode, 200)
    const [session] = (await list(bearer(refreshed.json().accessToken))).json().items
    assert.equal(session.lastUsedAt, later.toISOString())
    assert.notEqual(session.createdAt, session.lastUsedAt)
  })

  it('ends one of my sessions: 204, auth.session_ended, its refresh token and access token dead, the others alive', async () => {
    const { id, email } = await svc.register()
    const keep = await svc.login(email)
    const lost = await svc.login(email)
    const res = await end(sidOf(lost.accessToken), bearer(keep.accessToken))
    assert.equal(res.statusCode, 204, res.body)
    assert.equal((await svc.refresh(lost.refreshToken)).statusCode, 401)
    assert.equal((await svc.validate(lost.accessToken)).valid, false)
    assert.equal((await svc.validate(keep.accessToken)).valid, true)
    const event = await waitFor(() => svc.events.find(e => e.type === 'auth.session_ended' && e.subject === id))
    assert.deepEqual(event.data, { userId: id, sessionId: sidOf(lost.accessToken), reason: 'user_ended' })
    // The gateway learns it from the revocation feed.
    const feed = await svc.auth.app.inject({ method: 'GET', url: '/internal/auth/revocations', headers: internalHeadersFor('auth', 'gateway') })
    assert.ok(feed.json().sessions.some((s: { id: string }) => s.id === sidOf(lost.accessToken)))
    // Again: it is no longer active.
    assert.equal((await end(sidOf(lost.accessToken), bearer(keep.accessToken))).statusCode, 404)
  })

  it('answers 404 alike for someone else\'s session and an unknown one, and ends neither', async () => {
    const owner = await svc.register()
    const other = await svc.register()
    const victim = await svc.login(owner.email)
    const attacker = await svc.login(other.email)
    const foreign = await end(sidOf(victim.accessToken), bearer(attacker.accessToken))
    const unknown = await end(randomUUID(), bearer(attacker.accessToken))
    assert.equal(foreign.statusCode, 404)
    assert.equal(unknown.statusCode, 404)
    const problem = (body: Record<string, unknown>) => ({ ...body, requestId: undefined, instance: undefined })
    assert.deepEqual(problem(foreign.json()), problem(unknown.json()))
    assert.equal((await svc.validate(victim.accessToken)).valid, true)
  })

  it('refuses without a valid bearer token (401) and a malformed id (400 naming it)', async () => {
    const { email } = await svc.register()
    const pair = await svc.login(email)
    assert.equal((await list({})).statusCode, 401)
    assert.equal((await list(bearer('not.a.token'))).statusCode, 401)
    assert.equal((await list(bearer(pair.accessToken))).statusCode, 200)
    const bad = await end('not-a-uuid', bearer(pair.accessToken))
    assert.equal(bad.statusCode, 400)
    assert.equal(bad.json().code, 'validation_failed')
    assert.match(JSON.stringify(bad.json().errors), /id/)
  })
})
