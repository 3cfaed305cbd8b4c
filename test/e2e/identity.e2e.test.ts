import { describe, it } from 'node:test'
import assert from 'node:assert/strict'
import { randomBytes } from 'node:crypto'
import { decodeJwt } from 'jose'
import { waitFor } from '@app/kit/testing'
import { usePlatform } from './helper.ts'

const PASSWORD = 'correct horse battery'
const NEW_PASSWORD = 'staple gun kangaroo'
const ADMIN = { email: `admin.${randomBytes(4).toString('hex')}@example.com`, password: 'admin passphrase for tests' }
const email = (tag: string) => `${tag}.${randomBytes(4).toString('hex')}@example.com`
const bearer = (token: string) => ({ authorization: `Bearer ${token}` })

describe('identity end to end, through the gateway', () => {
  const gw = usePlatform({ ADMIN_EMAIL: ADMIN.email, ADMIN_PASSWORD: ADMIN.password })

  async function register (address: string) {
    const res = await gw.json('POST', '/api/v1/users/register', { email: address, password: PASSWORD })
    assert.equal(res.status, 201, JSON.stringify(res.body))
    return res.body as { id: string }
  }

  async function login (address: string, password = PASSWORD) {
    const res = await gw.json('POST', '/api/v1/auth/login', { email: address, password })
    assert.equal(res.status, 200, JSON.stringify(res.body))
    return res.body as { accessToken: string, refreshToken: string }
  }

  /** The gateway refuses a revoked session's tokens within seconds, not only at expiry. */
  const refusedSoon = (accessToken: string) => waitFor(async () => (await gw.json('GET', '/api/v1/users/me', undefined, bearer(accessToken))).status === 401, 6000, 100)

  it('register -> login -> me -> update -> refresh -> reuse revokes the family -> logout -> token refused', async (t) => {
    const address = email('flow')
    const { id } = await register(address)
    const first = await login(address)

    const me = await gw.json('GET', '/api/v1/users/me', undefined, bearer(first.accessToken))
    assert.equal(me.status, 200)
    assert.equal(me.body.id, id)
    assert.equal(me.body.email, address)

    const updated = await gw.json('PATCH', '/api/v1/users/me', { name: 'Ada Lovelace' }, bearer(first.accessToken))
    assert.equal(updated.status, 200, JSON.stringify(updated.body))
    assert.equal(updated.body.name, 'Ada Lovelace')

    // Spent 11 s ago, past the 10 s reuse interval: presented again below, it can only be a copy.
    // (Within the interval a spent token still gets a pair: concurrent tabs, retries.)
    const earlier = Date.now() - 11_000
    t.mock.method(gw.platform.services.get('auth')!.ctx, 'now', () => new Date(earlier))
    const refreshed = await gw.json('POST', '/api/v1/auth/refresh', { refreshToken: first.refreshToken })
    t.mock.restoreAll()
    assert.equal(refreshed.status, 200)
    const second = refreshed.body as { accessToken: string, refreshToken: string }
    assert.equal((await gw.json('GET', '/api/v1/users/me', undefined, bearer(second.accessToken))).body.name, 'Ada Lovelace')

    const reuse = await gw.json('POST', '/api/v1/auth/refresh', { refreshToken: first.refreshToken })
    assert.equal(reuse.status, 401)
    assert.equal(reuse.body.code, 'token_reused')
    assert.equal((await gw.json('POST', '/api/v1/auth/refresh', { refreshToken: second.refreshToken })).status, 401)
    assert.ok(await refusedSoon(second.accessToken))

    const third = await login(address)
    assert.equal((await gw.json('GET', '/api/v1/users/me', undefined, bearer(third.accessToken))).status, 200)
    assert.equal((await gw.json('POST', '/api/v1/auth/logout', { refreshToken: third.refreshToken })).status, 204)
    assert.ok(await refusedSoon(third.accessToken))
    const gone = await gw.json('GET', '/api/v1/users/me', undefined, bearer(third.accessToken))
    assert.equal(gone.body.code, 'unauthorized')
  })

  it('forgot (link) -> reset -> old sessions dead -> login with the new password; an unknown address looks the same', async () => {
    const address = email('reset')
    await register(address)
    const before = await login(address)
    const known = await gw.json('POST', '/api/v1/password/forgot', { email: address })
    const unknown = await gw.json('POST', '/api/v1/password/forgot', { email: email('nobody') })
    assert.equal(known.status, 202)
    assert.deepEqual(unknown, { ...known, headers: unknown.headers })
    assert.deepEqual(unknown.body, known.body)

    const mail = await waitFor(async () => {
      const inbox = await gw.json('GET', `/dev/inbox?to=${encodeURIComponent(address)}`)
      return inbox.body.items.find((m: { subject: string }) => m.subject?.startsWith('Reset'))
    })
    const link = new URL(/https?:\/\/\S+/.exec(mail.text)![0])
    const token = link.searchParams.get('token')!

    // The link's page comes through the gateway with its own, form-friendly CSP, and spends nothing.
    const page = await fetch(`${gw.url}/api/v1/password/reset?token=${token}`)
    assert.equal(page.status, 200)
    assert.match(String(page.headers.get('content-security-policy')), /form-action 'self'/)
    assert.match(await page.text(), /<form/)

    assert.equal((await gw.json('POST', '/api/v1/password/reset', { token, newPassword: NEW_PASSWORD })).status, 204)
    assert.equal((await gw.json('POST', '/api/v1/auth/refresh', { refreshToken: before.refreshToken })).status, 401)
    assert.ok(await refusedSoon(before.accessToken))
    const old = await gw.json('POST', '/api/v1/auth/login', { email: address, password: PASSWORD })
    assert.equal(old.status, 401)
    assert.equal(old.body.code, 'invalid_credentials')
    await login(address, NEW_PASSWORD)
  })

  it('refuses forged identity headers and a tampered token; only an admin lists users', async () => {
    const address = email('plain')
    const { id } = await register(address)
    const user = await login(address)

    const forged = await gw.json('GET', '/api/v1/users?query=example', undefined, { 'x-user-id': id, 'x-user-roles': 'admin' })
    assert.equal(forged.status, 401)
    const [header, payload, signature] = user.accessToken.split('.')
    const claims = { ...decodeJwt(user.accessToken), roles: ['user', 'admin'] }
    const tampered = `${header}.${Buffer.from(JSON.stringify(claims)).toString('base64url')}.${signature}`
    assert.notEqual(payload, tampered.split('.')[1])
    assert.equal((await gw.json('GET', '/api/v1/users?query=example', undefined, bearer(tampered))).status, 401)
    const notAdmin = await gw.json('GET', '/api/v1/users?query=example', undefined, { ...bearer(user.accessToken), 'x-user-roles': 'admin' })
    assert.equal(notAdmin.status, 403)

    const admin = await login(ADMIN.email, ADMIN.password)
    assert.deepEqual(decodeJwt(admin.accessToken).roles, ['user', 'admin'])
    const listed = await gw.json('GET', `/api/v1/users?query=${encodeURIComponent(address)}`, undefined, bearer(admin.accessToken))
    assert.equal(listed.status, 200, JSON.stringify(listed.body))
    assert.deepEqual(listed.body.items.map((u: { id: string }) => u.id), [id])
    assert.equal((await gw.json('GET', `/api/v1/users/${id}`, undefined, bearer(admin.accessToken))).status, 200)
    assert.equal((await gw.json('GET', `/api/v1/users/${id}`, undefined, bearer(user.accessToken))).status, 200)
  })
})
