import { describe, it } from 'node:test'
import assert from 'node:assert/strict'
import { asUser, newUserId, useAuditService } from './helper.ts'
import type { AuditEventJson } from './helper.ts'

describe('admin listing: GET /api/v1/audit/events', () => {
  const audit = useAuditService()
  const ids = (res: { json(): { items: AuditEventJson[] } }) => res.json().items.map(i => i.id)

  it('answers 401 without an identity and 403 forbidden for a non-admin', async () => {
    assert.equal((await audit.app.inject({ method: 'GET', url: '/api/v1/audit/events' })).statusCode, 401)
    assert.equal((await audit.app.inject({ method: 'GET', url: '/api/v1/audit/events?limit=nope' })).statusCode, 401, 'before validation')
    const res = await audit.list({}, asUser)
    assert.equal(res.statusCode, 403)
    assert.equal(res.json().code, 'forbidden')
  })

  it('filters by userId, newest first', async () => {
    const alice = newUserId()
    const bob = newUserId()
    const a1 = await audit.publish('user.registered', { userId: alice }, alice)
    const b1 = await audit.publish('user.registered', { userId: bob }, bob)
    await audit.waitStored([a1, b1])
    const a2 = await audit.publish('auth.login_succeeded', { userId: alice }, alice)
    await audit.waitStored([a2])
    assert.deepEqual(ids(await audit.list({ userId: alice })), [a2.id, a1.id])
    assert.deepEqual(ids(await audit.list({ userId: bob })), [b1.id])
    assert.deepEqual(ids(await audit.list({ userId: newUserId() })), [])
  })

  it('filters by an exact type or a prefix ending in .*', async () => {
    const user = newUserId()
    const events = []
    for (const type of ['auth.login_succeeded', 'auth.login_failed', 'authz.granted', 'auth.logged_out', 'user.updated', 'email_verification.sent', 'emailxverification.sent']) {
      const event = await audit.publish(type, {}, user)
      await audit.waitStored([event])
      events.push(event)
    }
    const [ok, failed, authz, out, updated, sent, lookalike] = events.map(e => e.id)
    assert.deepEqual(ids(await audit.list({ userId: user, type: 'auth.login_failed' })), [failed])
    assert.deepEqual(ids(await audit.list({ userId: user, type: 'auth.*' })), [out, failed, ok], 'authz.* is not auth.*')
    assert.deepEqual(ids(await audit.list({ userId: user, type: 'auth.login' })), [], 'exact means exact')
    assert.deepEqual(ids(await audit.list({ userId: user, type: 'email_verification.*' })), [sent], '_ is not a wildcard')
    assert.deepEqual(ids(await audit.list({ userId: user, type: 'user.*' })), [updated])
    assert.ok(authz && lookalike)
  })

  it('filters by event time: from inclusive, to exclusive', async () => {
    const user = newUserId()
    const at = (iso: string) => new Date(iso)
    const jan = await audit.publish('order.created', {}, user, at('2001-01-15T00:00:00.000Z'))
    const feb = await audit.publish('order.created', {}, user, at('2001-02-01T00:00:00.000Z'))
    const mar = await audit.publish('order.created', {}, user, at('2001-03-15T00:00:00.000Z'))
    await audit.waitStored([jan, feb, mar])
    const between = async (query: Record<string, string>) => new Set(ids(await audit.list({ userId: user, ...query })))
    assert.deepEqual(await between({ from: '2001-02-01T00:00:00Z' }), new Set([feb.id, mar.id]))
    assert.deepEqual(await between({ to: '2001-02-01T00:00:00Z' }), new Set([jan.id]))
    assert.deepEqual(await between({ from: '2001-01-01T00:00:00Z', to: '2001-03-01T00:00:00+01:00' }), new Set([jan.id, feb.id]))
    assert.deepEqual(await between({ from: '2002-01-01T00:00:00Z' }), new Set())
  })

  it('pages newest first with an opaque cursor, without duplicates or gaps', async () => {
    const user = newUserId()
    const created: string[] = []
    for (let i = 0; i < 7; i++) {
      const event = await audit.publish('user.updated', { i }, user)
      await audit.waitStored([event])
      created.push(event.id)
    }
    const seen: string[] = []
    const cursors: Array<string | null> = []
    let cursor: string | undefined
    for (let page = 0; page < 3; page++) {
      const res = await audit.list({ userId: user, limit: '3', ...(cursor ? { cursor } : {}) })
      assert.equal(res.statusCode, 200, res.body)
      seen.push(...ids(res))
      cursors.push(res.json().nextCursor)
      cursor = res.json().nextCursor ?? undefined
    }
    assert.deepEqual(seen, [...created].reverse())
    assert.equal(cursors[2], null)
    assert.match(cursors[0]!, /^[A-Za-z0-9_-]+$/)
  })

  it('pages the whole trail, unfiltered, with each seq once', async () => {
    const seqs: number[] = []
    let cursor: string | undefined
    do {
      const res = await audit.list({ limit: '4', ...(cursor ? { cursor } : {}) })
      seqs.push(...(res.json().items as AuditEventJson[]).map(i => i.seq))
      cursor = res.json().nextCursor ?? undefined
    } while (cursor)
    const total = (await audit.chain()).length
    assert.deepEqual(seqs, Array.from({ length: total }, (_, i) => total - i))
  })

  it('answers 400 naming the field for a bad time, type, limit or cursor', async () => {
    const cases: Array<[Record<string, string>, string]> = [
      [{ from: 'yesterday' }, '/querystring/from'],
      [{ to: '2024-13-01T00:00:00Z' }, '/querystring/to'],
      [{ from: '2024-01-01' }, '/querystring/from'],
      [{ from: '2024-02-01T00:00:00Z', to: '2024-01-01T00:00:00Z' }, '/querystring/to'],
      [{ type: 'auth.*.x' }, '/querystring/type'],
      [{ type: '*' }, '/querystring/type'],
      [{ limit: '0' }, '/querystring/limit'],
      [{ limit: '201' }, '/querystring/limit'],
      [{ cursor: 'not a cursor' }, '/querystring/cursor'],
      [{ cursor: Buffer.from('s0').toString('base64url') }, '/querystring/cursor'],
      [{ cursor: Buffer.from('12').toString('base64url') }, '/querystring/cursor'],
      [{ sort: 'asc' }, '/querystring/sort']
    ]
    for (const [query, path] of cases) {
      const res = await audit.list(query)
      assert.equal(res.statusCode, 400, `${JSON.stringify(query)}: ${res.body}`)
      assert.equal(res.json().code, 'validation_failed')
      assert.equal(res.json().errors[0].path, path, JSON.stringify(query))
    }
  })
})
