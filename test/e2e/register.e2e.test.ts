import { describe, it } from 'node:test'
import assert from 'node:assert/strict'
import { randomBytes } from 'node:crypto'
import { waitFor } from '@app/kit/testing'
import { usePlatform } from './helper.ts'

describe('the platform through the gateway', () => {
  const gw = usePlatform()

  it('registers a user: user.registered brings a welcome mail and an email-verification link to the dev inbox', async () => {
    const email = `e2e.${randomBytes(4).toString('hex')}@example.com`
    const res = await gw.json('POST', '/api/v1/users/register', { email, password: 'correct horse battery', name: 'Grace' }, { 'x-request-id': 'e2e-register-1' })
    assert.equal(res.status, 201)
    assert.equal(res.headers.get('x-request-id'), 'e2e-register-1')
    assert.equal(res.body.email, email)
    const inbox = await waitFor(async () => {
      const list = await gw.json('GET', `/dev/inbox?to=${encodeURIComponent(email)}`)
      return list.body.items.length >= 2 ? list.body.items as Array<{ channel: string, subject: string, text: string }> : undefined
    })
    const welcome = inbox.filter(m => m.subject === 'Welcome to Gatehouse')
    assert.equal(welcome.length, 1)
    assert.equal(welcome[0]!.channel, 'email')
    assert.match(welcome[0]!.text, /Hi Grace/)
    const confirm = inbox.filter(m => m.subject === 'Confirm your email for Gatehouse')
    assert.equal(confirm.length, 1)
    assert.match(confirm[0]!.text, /\/auth\/verify-email\?token=[A-Za-z0-9_-]{43}/, 'the link opens the hosted confirm page')
  })

  it('passes service problems through unchanged (409 conflict, 400 naming the field)', async () => {
    const email = `dup.${randomBytes(4).toString('hex')}@example.com`
    assert.equal((await gw.json('POST', '/api/v1/users/register', { email, password: 'correct horse battery' })).status, 201)
    const dup = await gw.json('POST', '/api/v1/users/register', { email, password: 'correct horse battery' })
    assert.equal(dup.status, 409)
    assert.equal(dup.body.code, 'conflict')
    const bad = await gw.json('POST', '/api/v1/users/register', { email: 'nope', password: 'correct horse battery' })
    assert.equal(bad.status, 400)
    assert.equal(bad.body.errors[0].path, '/body/email')
  })

  it('mints a request id when the client sends none, and the service sees the same one', async () => {
    const res = await gw.json('POST', '/api/v1/users/register', { email: 'bad' })
    const id = res.headers.get('x-request-id')
    assert.match(String(id), /^[0-9a-f-]{36}$/)
    assert.equal(res.body.requestId, id)
  })

  it('answers unknown routes and internal routes with a 404 problem', async () => {
    const unknown = await gw.json('GET', '/api/v1/nothing-here')
    assert.equal(unknown.status, 404)
    assert.equal(unknown.body.code, 'not_found')
    const internal = await gw.json('POST', '/internal/users/verify-credentials', { email: 'a@example.com', password: 'x' })
    assert.equal(internal.status, 404)
  })

  it('answers 503 unavailable when a service stops', async () => {
    // Signed in, so the gateway's policy (authenticated) lets the request on to the stopped service.
    const email = `stop.${randomBytes(4).toString('hex')}@example.com`
    assert.equal((await gw.json('POST', '/api/v1/users/register', { email, password: 'correct horse battery' })).status, 201)
    const login = await gw.json('POST', '/api/v1/auth/login', { email, password: 'correct horse battery' })
    assert.equal(login.status, 200, JSON.stringify(login.body))
    await gw.platform.services.get('order')!.close()
    const res = await gw.json('POST', '/api/v1/orders', { items: [] }, { authorization: `Bearer ${login.body.accessToken as string}` })
    assert.equal(res.status, 503)
    assert.equal(res.body.code, 'unavailable')
  })

  it('serves the merged OpenAPI document and the docs page', async () => {
    const spec = await gw.json('GET', '/openapi.json')
    assert.ok(spec.body.paths['/api/v1/users/register'])
    assert.ok(spec.body.paths['/dev/inbox'])
    assert.ok(!Object.keys(spec.body.paths).some((p: string) => p.startsWith('/internal/')))
    const page = await fetch(`${gw.url}/docs`, { redirect: 'follow' })
    assert.equal(page.status, 200)
    assert.match(await page.text(), /swagger/i)
  })

  it('empties the dev inbox on DELETE', async () => {
    // The mails of the registrations above; others of theirs may still be on their way and land after the DELETE.
    const before = await waitFor(async () => {
      const items = (await gw.json('GET', '/dev/inbox')).body.items as Array<{ id: string }>
      return items.length > 0 && items.map(m => m.id)
    })
    const res = await fetch(`${gw.url}/dev/inbox`, { method: 'DELETE' })
    assert.equal(res.status, 204)
    const after = (await gw.json('GET', '/dev/inbox')).body.items as Array<{ id: string }>
    assert.deepEqual(after.filter(m => before.includes(m.id)), [])
  })
})
