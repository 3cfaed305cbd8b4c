import { describe, it } from 'node:test'
import assert from 'node:assert/strict'
import { setTimeout as sleep } from 'node:timers/promises'
import { SignJWT, exportSPKI } from 'jose'
import { readCaller } from '@app/kit/http'
import { TEST_SERVICE_SECRET } from '@app/kit/testing'
import { b64url, newSigningKey, signToken, useGateway, AUDIENCE, KID } from './helper.ts'

const bearer = (token: string) => ({ authorization: `Bearer ${token}` })

describe('gateway identity: bearer tokens and identity headers', () => {
  const gw = useGateway()

  async function assertRefused (token: string, detail = /invalid/) {
    const before = gw.fake.seen.length
    const res = await gw.call('/api/v1/users/me', bearer(token))
    assert.equal(res.status, 401)
    assert.match(String(res.headers.get('content-type')), /^application\/problem\+json/)
    assert.equal(res.body.code, 'unauthorized')
    assert.match(res.body.detail, detail)
    assert.equal(gw.fake.seen.length, before, 'a refused request never reaches the upstream')
  }

  it('passes the verified user, roles and session to the upstream', async () => {
    const token = await signToken(gw.key, { claims: { sub: 'u-42', sid: 's-42', roles: ['user', 'admin'] } })
    const res = await gw.call('/api/v1/users/me', bearer(token))
    assert.equal(res.status, 200)
    assert.equal(res.body.headers['x-user-id'], 'u-42')
    assert.equal(res.body.headers['x-user-roles'], 'user,admin')
    assert.equal(res.body.headers['x-session-id'], 's-42')
    assert.equal(res.body.headers.authorization, `Bearer ${token}`)
    assert.deepEqual(readCaller(res.body.headers, TEST_SERVICE_SECRET), { userId: 'u-42', roles: ['user', 'admin'], sessionId: 's-42' })
  })

  it('signs the identity so a service refuses altered or self-made headers', async () => {
    const token = await signToken(gw.key, { claims: { sub: 'u-43', roles: ['user'] } })
    const { headers } = (await gw.call('/api/v1/users/me', bearer(token))).body
    assert.equal(readCaller({ ...headers, 'x-user-roles': 'user,admin' }, TEST_SERVICE_SECRET), null)
    assert.equal(readCaller({ ...headers, 'x-user-id': 'u-44' }, TEST_SERVICE_SECRET), null)
    assert.equal(readCaller(headers, 'another-secret-0123456789abcdef-xyz'), null)
    assert.equal(readCaller({ 'x-user-id': 'u-43', 'x-user-roles': 'admin' }, TEST_SERVICE_SECRET), null)
  })

  it('strips forged identity headers from anonymous requests', async () => {
    const res = await gw.call('/api/v1/users/me', { 'x-user-id': 'admin-1', 'x-user-roles': 'admin', 'x-session-id': 's-1', 'X-User-Id': 'again' })
    assert.equal(res.status, 200)
    assert.equal(res.body.headers['x-user-id'], undefined)
    assert.equal(res.body.headers['x-user-roles'], undefined)
    assert.equal(res.body.headers['x-session-id'], undefined)
    assert.equal(res.body.headers['x-identity-signature'], undefined)
  })

  it('replaces forged identity headers sent beside a valid token with the token\'s', async () => {
    const token = await signToken(gw.key, { claims: { sub: 'u-7', roles: ['user'] } })
    const res = await gw.call('/api/v1/users/me', { ...bearer(token), 'x-user-roles': 'admin', 'x-user-id': 'someone-else' })
    assert.equal(res.status, 200)
    assert.equal(res.body.headers['x-user-id'], 'u-7')
    assert.equal(res.body.headers['x-user-roles'], 'user')
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

  it('refuses an expired token, saying so', async () => {
    const now = Math.floor(Date.now() / 1000)
    await assertRefused(await signToken(gw.key, { claims: { iat: now - 3600, exp: now - 60 } }), /expired/)
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
