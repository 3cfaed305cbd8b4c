import { randomBytes } from 'node:crypto'
import { describe, it } from 'node:test'
import assert from 'node:assert/strict'
import { waitFor } from '@app/kit/testing'
import { as, registerUser, uniqueEmail, uniquePhone, useUserService } from './helper.ts'
import type { UserJson } from './helper.ts'

describe('admin listing: GET /api/v1/users', () => {
  const svc = useUserService()
  const list = async (caller: { id: string }, query: Record<string, string>, admin = true) => svc.app.inject({
    method: 'GET', url: `/api/v1/users?${new URLSearchParams(query)}`, headers: as(caller, admin)
  })
  const ids = (res: { json(): { items: UserJson[] } }) => res.json().items.map(u => u.id)

  it('answers 401 without an identity and 403 forbidden for a non-admin', async () => {
    const user = await registerUser(svc.app)
    assert.equal((await svc.app.inject({ method: 'GET', url: '/api/v1/users' })).statusCode, 401)
    const res = await list(user, {}, false)
    assert.equal(res.statusCode, 403)
    assert.equal(res.json().code, 'forbidden')
  })

  it('searches email, phone and name case-insensitively as a substring', async () => {
    const tag = randomBytes(4).toString('hex')
    const phone = uniquePhone()
    const byEmail = await registerUser(svc.app, { email: `find.${tag}@example.com`, password: 'correct horse battery' })
    const byName = await registerUser(svc.app, { email: uniqueEmail(), password: 'correct horse battery', name: `Zed ${tag.toUpperCase()} Smith` })
    const byPhone = await registerUser(svc.app, { phone })
    const admin = byEmail
    assert.deepEqual(ids(await list(admin, { query: tag.toUpperCase() })), [byName.id, byEmail.id])
    assert.deepEqual(ids(await list(admin, { query: `FIND.${tag}@EXAMPLE` })), [byEmail.id])
    assert.deepEqual(ids(await list(admin, { query: phone.slice(3) })), [byPhone.id])
    assert.deepEqual(ids(await list(admin, { query: `nobody-${tag}` })), [])
  })

  it('takes %, _ and \\ in the query literally', async () => {
    const tag = randomBytes(4).toString('hex')
    const percent = await registerUser(svc.app, { email: uniqueEmail(), password: 'correct horse battery', name: `100% sure ${tag}` })
    await registerUser(svc.app, { email: uniqueEmail(), password: 'correct horse battery', name: `1000 sure ${tag}` })
    const underscore = await registerUser(svc.app, { email: uniqueEmail(), password: 'correct horse battery', name: `a_b ${tag}` })
    await registerUser(svc.app, { email: uniqueEmail(), password: 'correct horse battery', name: `axb ${tag}` })
    const backslash = await registerUser(svc.app, { email: uniqueEmail(), password: 'correct horse battery', name: `c\\d ${tag}` })
    assert.deepEqual(ids(await list(percent, { query: `0% sure ${tag}` })), [percent.id])
    assert.deepEqual(ids(await list(percent, { query: `a_b ${tag}` })), [underscore.id])
    assert.deepEqual(ids(await list(percent, { query: `c\\d ${tag}` })), [backslash.id])
    assert.deepEqual(ids(await list(percent, { query: '%' })).includes(percent.id), true)
    assert.equal(ids(await list(percent, { query: `%${tag}` })).length, 0, 'a leading % is not a wildcard')
  })

  it('pages newest first with an opaque cursor, without duplicates or gaps', async () => {
    const tag = randomBytes(4).toString('hex')
    const created: string[] = []
    for (let i = 0; i < 7; i++) {
      created.push((await registerUser(svc.app, { email: uniqueEmail(), password: 'correct horse battery', name: `page ${tag} ${i}` })).id)
    }
    const seen: string[] = []
    const cursors: Array<string | null> = []
    let cursor: string | undefined
    for (let page = 0; page < 3; page++) {
      const res = await list({ id: created[0]! }, { query: tag, limit: '3', ...(cursor ? { cursor } : {}) })
      assert.equal(res.statusCode, 200, res.body)
      seen.push(...ids(res))
      cursor = res.json().nextCursor ?? undefined
      cursors.push(res.json().nextCursor)
    }
    assert.deepEqual(seen, [...created].reverse())
    assert.equal(cursors[2], null)
    assert.match(cursors[0]!, /^[A-Za-z0-9_-]+$/)
  })

  it('defaults to 20 items and refuses a limit outside 1..100', async () => {
    const admin = await registerUser(svc.app)
    for (let i = 0; i < 21; i++) await registerUser(svc.app)
    const page = await list(admin, {})
    assert.equal(page.json().items.length, 20)
    assert.equal(typeof page.json().nextCursor, 'string')
    for (const limit of ['0', '101', 'ten']) {
      const res = await list(admin, { limit })
      assert.equal(res.statusCode, 400)
      assert.equal(res.json().errors[0].path, '/querystring/limit')
    }
  })

  it('answers 400 naming /querystring/cursor for a malformed cursor', async () => {
    const admin = await registerUser(svc.app)
    for (const cursor of ['not a cursor', 'Zm9v', Buffer.from('01890000-0000-7000-8000-00000000000g').toString('base64url'), '!!!']) {
      const res = await list(admin, { cursor })
      assert.equal(res.statusCode, 400, cursor)
      assert.equal(res.json().code, 'validation_failed')
      assert.equal(res.json().errors[0].path, '/querystring/cursor')
    }
  })
})

describe('GET /api/v1/users/:id', () => {
  const svc = useUserService()
  const get = (id: string, headers: Record<string, string>) => svc.app.inject({ method: 'GET', url: `/api/v1/users/${id}`, headers })

  it('returns the caller\'s own account', async () => {
    const user = await registerUser(svc.app)
    const res = await get(user.id, as(user))
    assert.equal(res.statusCode, 200)
    assert.equal(res.json().id, user.id)
  })

  it('answers 403 forbidden to a non-admin asking for someone else, known or not', async () => {
    const user = await registerUser(svc.app)
    const other = await registerUser(svc.app)
    const res = await get(other.id, as(user))
    assert.equal(res.statusCode, 403)
    assert.equal(res.json().code, 'forbidden')
    assert.equal((await get('01890000-0000-7000-8000-000000000000', as(user))).statusCode, 403, 'no lookup: the same answer')
  })

  it('lets an admin see anyone, and answers 404 user_not_found for an unknown id', async () => {
    const admin = await registerUser(svc.app)
    const other = await registerUser(svc.app)
    assert.equal((await get(other.id, as(admin, true))).json().email, other.email)
    const unknown = await get('01890000-0000-7000-8000-000000000000', as(admin, true))
    assert.equal(unknown.statusCode, 404)
    assert.equal(unknown.json().code, 'user_not_found')
  })

  it('answers 401 without an identity and 400 for an id that is not a UUID', async () => {
    const user = await registerUser(svc.app)
    assert.equal((await get(user.id, {})).statusCode, 401)
    assert.equal((await get('nope', as(user))).statusCode, 400)
  })
})

describe('PUT /api/v1/users/:id/roles', () => {
  const svc = useUserService()
  const setRoles = (caller: { id: string }, id: string, payload: unknown, admin = true) => svc.app.inject({
    method: 'PUT', url: `/api/v1/users/${id}/roles`, headers: as(caller, admin), payload: payload as object
  })

  it('makes a user an admin and back, emitting user.updated with changes [roles]', async () => {
    const admin = await registerUser(svc.app)
    const user = await registerUser(svc.app)
    const promoted = await setRoles(admin, user.id, { roles: ['admin', 'user'] })
    assert.equal(promoted.statusCode, 200, promoted.body)
    assert.deepEqual(promoted.json().roles, ['user', 'admin'])
    const event = await waitFor(() => svc.events.find(e => e.type === 'user.updated' && e.subject === user.id))
    assert.deepEqual((event.data as { changes: string[] }).changes, ['roles'])
    assert.deepEqual((event.data as { roles: string[] }).roles, ['user', 'admin'])
    const demoted = await setRoles(admin, user.id, { roles: ['user'] })
    assert.deepEqual(demoted.json().roles, ['user'])
    const me = await svc.app.inject({ method: 'GET', url: '/api/v1/users/me', headers: as(user) })
    assert.deepEqual(me.json().roles, ['user'])
  })

  it('refuses an admin removing their own admin role with 409 admin_self_demotion', async () => {
    const admin = await registerUser(svc.app)
    await setRoles(admin, admin.id, { roles: ['user', 'admin'] })
    const res = await setRoles(admin, admin.id, { roles: ['user'] })
    assert.equal(res.statusCode, 409)
    assert.equal(res.json().code, 'admin_self_demotion')
    assert.deepEqual((await setRoles(admin, admin.id, { roles: ['user', 'admin'] })).json().roles, ['user', 'admin'])
  })

  it('answers 403 to a non-admin, 404 for an unknown user, 400 without "user" or with a bad role', async () => {
    const admin = await registerUser(svc.app)
    const user = await registerUser(svc.app)
    assert.equal((await setRoles(user, user.id, { roles: ['user', 'admin'] }, false)).statusCode, 403)
    const unknown = await setRoles(admin, '01890000-0000-7000-8000-000000000000', { roles: ['user'] })
    assert.equal(unknown.json().code, 'user_not_found')
    for (const [roles, path] of [[['admin'], '/body/roles'], [[], '/body/roles'], [['user', 'user'], '/body/roles'], [['root'], '/body/roles/0']] as const) {
      const res = await setRoles(admin, user.id, { roles })
      assert.equal(res.statusCode, 400, JSON.stringify(roles))
      assert.equal(res.json().errors[0].path, path)
    }
  })
})
