import { describe, it } from 'node:test'
import assert from 'node:assert/strict'
import { setTimeout as sleep } from 'node:timers/promises'
import { SignJWT, exportSPKI } from 'jose'
import { checkIdentityAssertion } from '@app/kit/http'
import { testKeys } from '@app/kit/testing'
import { b64url, newSigningKey, signToken, useGateway, AUDIENCE, KID } from './helper.ts'

const bearer = (token: string) => ({ authorization: `Bearer ${token}` })
const keys = testKeys()
// A public route of the user service: anonymous requests pass the edge policy and reach the upstream.
const PUBLIC_USER_ROUTE = '/api/v1/users/email-change/undo'

/** What the upstream `audience` would make of the assertion it received (the fake echoes its headers). */
function asserted (headers: Record<string, string>, audience = 'user') {
  return checkIdentityAssertion(headers['x-identity-assertion'] ?? '', { keyring: keys.identity, audience, requestId: headers['x-request-id'] ?? '', nowMs: Date.now() })
}

describe('gateway identity: bearer tokens and identity headers', () => {
  const gw = useGateway()

  async function assertRefused (token: string, detail = /invalid/, code = 'unauthorized') {
    const before = gw.fake.seen.length
    const res = await gw.call('/api/v1/users/me', bearer(token))
    assert.equal(res.status, 401)
    assert.match(String(res.headers.get('content-type')), /^application\/problem\+json/)
    assert.equal(res.body.code, code)
    assert.equal(res.headers.get('x-error-code'), code)
    assert.match(res.body.detail, detail)
    assert.equal(gw.fake.seen.length, before, 'a refused request never reaches the upstream')
  }

  it('passes the verified user, roles, session and auth time to the upstream in one assertion for it and this request', async () => {
    const authTime = Math.floor(Date.now() / 1000) - 30
    const token = await signToken(gw.key, { claims: { sub: 'u-42', sid: 's-42', roles: ['user', 'admin'], auth_time: authTime } })
    const res = await gw.call('/api/v1/users/me', { ...bearer(token), 'x-request-id': 'req-42' })
    assert.equal(res.status, 200)
    assert.equal(res.body.headers['x-request-id'], 'req-42')
    assert.equal(res.body.headers.authorization, `Bearer ${token}`)
    for (const old of ['x-user-id', 'x-user-roles', 'x-session-id', 'x-identity-signature', 'x-client-ip', 'x-client-ip-signature']) {
      assert.equal(res.body.headers[old], undefined, old)
    }
    const check = asserted(res.body.headers)
    assert.ok(check.ok, JSON.stringify(check))
    assert.deepEqual(check.assertion.user, { sub: 'u-42', roles: ['user', 'admin'], sid: 's-42', authTime })
    assert.equal(check.assertion.ip, '127.0.0.1')
    assert.ok(check.assertion.exp <= Math.floor(Date.now() / 1000) + 10, 'expires within the configured 10 s')
  })

  it('names the service the request goes to: another service refuses the assertion', async () => {
    const token = await signToken(gw.key, { claims: { sub: 'u-43', roles: ['user'] } })
    const toUser = (await gw.call('/api/v1/users/me', bearer(token))).body.headers
    assert.deepEqual(asserted(toUser, 'order'), { ok: false, reason: 'foreign audience' })
    const toOrders = (await gw.call('/api/v1/orders', bearer(token))).body.headers
    assert.ok(asserted(toOrders, 'order').ok)
    assert.deepEqual(asserted(toOrders, 'user'), { ok: false, reason: 'foreign audience' })
  })

  it('signs a fresh assertion per request, and one for anonymous requests naming only the client address', async () => {
    const token = await signToken(gw.key, { claims: { sub: 'u-44', roles: ['user'] } })
    const first = (await gw.call('/api/v1/users/me', bearer(token))).body.headers
    const second = (await gw.call('/api/v1/users/me', bearer(token))).body.headers
    assert.notEqual(first['x-identity-assertion'], second['x-identity-assertion'])
    const anonymous = asserted((await gw.call(PUBLIC_USER_ROUTE)).body.headers)
    assert.ok(anonymous.ok)
    assert.equal(anonymous.assertion.user, null)
    assert.equal(anonymous.assertion.ip, '127.0.0.1')
  })

  it('strips client-sent assertions and old identity headers from anonymous requests', async () => {
    const forged = { 'x-user-id': 'admin-1', 'x-user-roles': 'admin', 'x-session-id': 's-1', 'x-identity-signature': 'AAAA', 'x-client-ip': '198.51.100.1', 'x-client-ip-signature': 'AAAA', 'x-identity-assertion': 'ga1.derived-1.e30.AAAA' }
    const res = await gw.call(PUBLIC_USER_ROUTE, forged)
    assert.equal(res.status, 200)
    for (const name of Object.keys(forged).filter(n => n !== 'x-identity-assertion')) assert.equal(res.body.headers[name], undefined, name)
    const check = asserted(res.body.headers)
    assert.ok(check.ok)
    assert.equal(check.assertion.user, null, 'the gateway\'s own assertion, anonymous')
  })

  it('replaces forged identity sent beside a valid token with the token\'s', async () => {
    const token = await signToken(gw.key, { claims: { sub: 'u-7', roles: ['user'] } })
    const res = await gw.call('/api/v1/users/me', { ...bearer(token), 'x-user-roles': 'admin', 'x-user-id': 'someone-else' })
    assert.equal(res.status, 200)
    assert.equal(res.body.headers['x-user-id'], undefined)
    const check = asserted(res.body.headers)
    assert.ok(check.ok)
    assert.deepEqual(check.assertion.user?.roles, ['user'])
    assert.equal(check.assertion.user?.sub, 'u-7')
  })

  it('refuses an unsigned (alg: none) token', async () => {
    const header = b64url({ alg: 'none', typ: 'at+jwt', kid: KID })
    const now = Math.floor(Date.now() / 1000)
    const payload = b64url({ sub: 'u-1', sid: 's', roles: ['admin'], iss: 'gatehouse', aud: AUDIENCE, iat: now, exp: now + 600 })
    await assertRefused(`${header}.${payload}.`)
  })

  it('refuses a token signed by another key, under the known kid or an unknown one', async () => {
    const other = await newSigningKey(KID)
    await assertRefused(await signToken(other))
    const stranger = await newSigningKey('unknown-kid')
    await assertRefused(await signToken(stranger))
  })

  it('never takes the key from the token header (embedded jwk, jku)', async () => {
    const attacker = await newSigningKey('attacker')
    await assertRefused(await signToken(attacker, { header: { jwk: attacker.jwk } }))
    await assertRefused(await signToken(attacker, { header: { kid: KID, jwk: attacker.jwk, jku: `${gw.fake.url}/evil.json` } }))
  })

  it('refuses an expired token with token_expired, and one otherwise bad or badly signed with unauthorized', async () => {
    const now = Math.floor(Date.now() / 1000)
    await assertRefused(await signToken(gw.key, { claims: { iat: now - 600, exp: now - 60 } }), /expired/, 'token_expired')
    // Expired too, but never a token the auth service signs: longer than its lifetime, another key.
    await assertRefused(await signToken(gw.key, { claims: { iat: now - 3600, exp: now - 60 } }))
    await assertRefused(await signToken(await newSigningKey(KID), { claims: { iat: now - 600, exp: now - 60 } }))
  })

  it('refuses a token for another audience or from another issuer', async () => {
    await assertRefused(await signToken(gw.key, { claims: { aud: 'someone-else' } }))
    await assertRefused(await signToken(gw.key, { claims: { iss: 'evil' } }))
  })

  it('refuses a token whose payload was changed after signing', async () => {
    const [header, , signature] = (await signToken(gw.key, { claims: { roles: ['user'] } })).split('.')
    const now = Math.floor(Date.now() / 1000)
    const payload = b64url({ sub: 'user-1', sid: 'session-1', roles: ['admin'], iss: 'gatehouse', aud: AUDIENCE, iat: now, exp: now + 600 })
    await assertRefused(`${header}.${payload}.${signature}`)
  })

  it('refuses an HS256 token keyed with the public key (algorithm confusion)', async () => {
    const pem = await exportSPKI(gw.key.publicKey)
    for (const secret of [new TextEncoder().encode(pem), Buffer.from(String(gw.key.jwk.x), 'base64url')]) {
      const token = await new SignJWT({ sid: 's', roles: ['admin'] })
        .setProtectedHeader({ alg: 'HS256', typ: 'at+jwt', kid: KID })
        .setSubject('u-1').setIssuer('gatehouse').setAudience(AUDIENCE).setIssuedAt().setExpirationTime('5m')
        .sign(secret)
      await assertRefused(token)
    }
  })

  it('refuses a token of another type (an id token or a plain JWT) and one missing the session', async () => {
    await assertRefused(await signToken(gw.key, { header: { typ: 'JWT' } }))
    const jwt = new SignJWT({ roles: ['user'] })
      .setProtectedHeader({ alg: 'EdDSA', typ: 'at+jwt', kid: KID })
      .setSubject('u-1').setIssuer('gatehouse').setAudience(AUDIENCE).setIssuedAt().setExpirationTime('5m')
    await assertRefused(await jwt.sign(gw.key.privateKey))
  })

  it('refuses garbage and an empty bearer token', async () => {
    await assertRefused('not-a-jwt')
    const res = await gw.call('/api/v1/users/me', { authorization: 'Bearer ' })
    assert.equal(res.status, 401)
  })

  it('refuses a token within seconds of its session being revoked', async () => {
    const token = await signToken(gw.key, { claims: { sid: 'revoked-session' } })
    assert.equal((await gw.call('/api/v1/users/me', bearer(token))).status, 200)
    gw.fake.revoke('revoked-session')
    // The gateway reads the ended sessions every second; the issue allows five.
    const deadline = Date.now() + 5000
    while ((await gw.call('/api/v1/users/me', bearer(token))).status === 200 && Date.now() < deadline) await sleep(100)
    await assertRefused(token, /session has ended/)
  })

  it('fetches the key set once, not per request', async () => {
    const before = gw.fake.jwksFetches
    const token = await signToken(gw.key)
    for (let i = 0; i < 3; i++) assert.equal((await gw.call('/api/v1/users/me', bearer(token))).status, 200)
    assert.equal(gw.fake.jwksFetches, before)
  })
})
