import { describe, it } from 'node:test'
import assert from 'node:assert/strict'
import { randomBytes } from 'node:crypto'
import { usePlatform } from './helper.ts'

const PASSWORD = 'correct horse battery'
const bearer = (token: string) => ({ authorization: `Bearer ${token}` })

describe('the gateway\'s own answers over the real services', () => {
  const gw = usePlatform()

  it('GET /api/v1/me/overview gathers the profile, preferences, orders, notifications and sessions of the caller', async () => {
    const email = `overview.${randomBytes(4).toString('hex')}@example.com`
    assert.equal((await gw.json('POST', '/api/v1/users/register', { email, password: PASSWORD, name: 'Ada' })).status, 201)
    const { body: session } = await gw.json('POST', '/api/v1/auth/login', { email, password: PASSWORD })
    const order = await gw.json('POST', '/api/v1/orders', { items: [{ sku: 'TEA-1', quantity: 1, unitPrice: 500 }], currency: 'EUR' }, bearer(session.accessToken))
    assert.equal(order.status, 201)

    const res = await gw.json('GET', '/api/v1/me/overview', undefined, bearer(session.accessToken))
    assert.equal(res.status, 200)
    assert.equal(res.headers.get('cache-control'), 'private, no-store')
    const { user, preferences, orders, notifications, sessions } = res.body
    assert.equal(user.email, email)
    assert.equal(user.name, 'Ada')
    assert.equal(typeof preferences.channels.email, 'boolean')
    assert.deepEqual(orders.items.map((o: { id: string }) => o.id), [order.body.id])
    assert.ok(Array.isArray(notifications.items))
    assert.equal(sessions.items.length, 1)
    assert.equal(sessions.items[0].current, true)

    assert.equal((await gw.json('GET', '/api/v1/me/overview')).status, 401)
  })

  it('serves the JWKS from its cache after the first request, with Age', async () => {
    const first = await gw.json('GET', '/.well-known/jwks.json')
    assert.equal(first.status, 200)
    assert.match(String(first.headers.get('cache-control')), /public/)
    const second = await gw.json('GET', '/.well-known/jwks.json')
    assert.equal(second.headers.get('x-cache'), 'hit')
    assert.match(String(second.headers.get('age')), /^\d+$/)
    assert.deepEqual(second.body, first.body)
  })

  it('has every service mark its own OpenAPI document cacheable', async () => {
    for (const [name, service] of gw.platform.services) {
      if (name === 'gateway') continue
      const res = await fetch(`${service.url}/openapi.json`)
      assert.equal(res.status, 200, name)
      assert.equal(res.headers.get('cache-control'), 'public, max-age=300', name)
      await res.body?.cancel()
    }
  })
})
