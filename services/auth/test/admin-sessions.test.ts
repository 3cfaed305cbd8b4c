import { describe, it } from 'node:test'
import assert from 'node:assert/strict'
import { randomUUID } from 'node:crypto'
import { decodeJwt } from 'jose'
import { callerHeadersFor, internalHeadersFor, waitFor } from '@app/kit/testing'
import { useAuth } from './helper.ts'

const bearer = (token: string) => ({ authorization: `Bearer ${token}` })
const sidOf = (token: string) => String(decodeJwt(token).sid)

describe('GET and DELETE /api/v1/auth/users/{id}/sessions (admin)', () => {
  const svc = useAuth()
  const adminId = randomUUID()
  const asAdmin = () => callerHeadersFor(adminId, ['user', 'admin'], randomUUID())

  const list = (userId: string, headers: Record<string, string>) =>
    svc.auth.app.inject({ method: 'GET', url: `/api/v1/auth/users/${userId}/sessions`, headers })
  const end = (userId: string, sid: string, headers: Record<string, string>) =>
    svc.auth.app.inject({ method: 'DELETE', url: `/api/v1/auth/users/${userId}/sessions/${sid}`, headers })

  /** A real admin account whose access token carries the admin role (for calls straight to the service). */
  async function adminToken (): Promise<string> {
    const admin = await svc.register()
    const promote = await svc.user.app.inject({ method: 'PUT', url: `/api/v1/users/${admin.id}/roles`, payload: { roles: ['user', 'admin'] }, headers: callerHeadersFor(randomUUID(), ['user', 'admin']) })
    assert.equal(promote.statusCode, 200, promote.body)
    return (await svc.login(admin.email)).accessToken
  }

  it('lists a user\'s active sessions for an admin, through the gateway\'s assertion or with an admin bearer token', async () => {
    const { id, email } = await svc.register()
    const one = await svc.login(email)
    const two = await svc.login(email)
    const gone = await svc.login(email)
    assert.equal((await svc.post('/api/v1/auth/logout', { refreshToken: gone.refreshToken })).statusCode, 204)
    for (const headers of [asAdmin(), bearer(await adminToken())]) {
      const res = await list(id, headers)
      assert.equal(res.statusCode, 200, res.body)
      const items = res.json().items as Array<{ id: string, current: boolean, createdAt: string }>
      assert.deepEqual(items.map(s => s.id).sort(), [sidOf(one.accessToken), sidOf(two.accessToken)].sort())
      assert.ok(items.every(s => s.current === false), 'none of them is the admin\'s own session')
    }
    // An unknown user has none.
    assert.deepEqual((await list(randomUUID(), asAdmin())).json(), { items: [] })
  })

  it('ends one session of a user: 204, auth.session_ended with reason admin_ended and by, the session dead, the others alive', async () => {
    const { id, email } = await svc.register()
    const keep = await svc.login(email)
    const lost = await svc.login(email)
    const res = await end(id, sidOf(lost.accessToken), asAdmin())
    assert.equal(res.statusCode, 204, res.body)
    assert.equal((await svc.refresh(lost.refreshToken)).statusCode, 401)
    assert.equal((await svc.validate(lost.accessToken)).valid, false)
    assert.equal((await svc.validate(keep.accessToken)).valid, true)
    const event = await waitFor(() => svc.events.find(e => e.type === 'auth.session_ended' && e.subject === id))
    assert.deepEqual(event.data, { userId: id, sessionId: sidOf(lost.accessToken), reason: 'admin_ended', by: adminId })
    const feed = await svc.auth.app.inject({ method: 'GET', url: '/internal/auth/revocations', headers: internalHeadersFor('auth', 'gateway') })
    assert.ok(feed.json().sessions.some((s: { id: string }) => s.id === sidOf(lost.accessToken)), 'the gateway learns it from the revocation feed')
    assert.deepEqual((await list(id, asAdmin())).json().items.map((s: { id: string }) => s.id), [sidOf(keep.accessToken)])
    // Again: no longer active.
    assert.equal((await end(id, sidOf(lost.accessToken), asAdmin())).statusCode, 404)
  })

  it('answers 404 for a session of another user, and ends nothing', async () => {
    const owner = await svc.register()
    const other = await svc.register()
    const session = await svc.login(owner.email)
    const res = await end(other.id, sidOf(session.accessToken), asAdmin())
    assert.equal(res.statusCode, 404, res.body)
    assert.equal(res.json().code, 'not_found')
    assert.equal((await svc.validate(session.accessToken)).valid, true)
  })

  it('refuses anonymous callers (401) and users without the admin role (403, also for their own account), before reading the parameters', async () => {
    const { id, email } = await svc.register()
    const pair = await svc.login(email)
    const sid = sidOf(pair.accessToken)
    for (const res of [await list(id, {}), await end(id, sid, {}), await list('not-a-uuid', {})]) {
      assert.equal(res.statusCode, 401, res.body)
      assert.equal(res.json().code, 'unauthorized')
    }
    for (const headers of [() => bearer(pair.accessToken), () => callerHeadersFor(id, ['user'], sid)]) {
      for (const res of [await list(id, headers()), await end(id, sid, headers()), await end('not-a-uuid', sid, headers())]) {
        assert.equal(res.statusCode, 403, res.body)
        assert.equal(res.json().code, 'forbidden')
      }
    }
    assert.equal((await svc.validate(pair.accessToken)).valid, true)
  })

  it('answers 400 naming a parameter that is not a UUID', async () => {
    const res = await end(randomUUID(), 'nope', asAdmin())
    assert.equal(res.statusCode, 400, res.body)
    assert.equal(res.json().errors[0].path, '/params/sid')
  })
})
