import { describe, it } from 'node:test'
import assert from 'node:assert/strict'
import { decodeJwt, importPKCS8, SignJWT } from 'jose'
import { internalHeadersFor, waitFor } from '@app/kit/testing'
import { useAuth } from './helper.ts'

const b64 = (value: object) => Buffer.from(JSON.stringify(value)).toString('base64url')

describe('validate and logout', () => {
  const svc = useAuth()

  async function signWithStoredKey (claims: Record<string, unknown>, audience: string) {
    const { rows } = await svc.auth.ctx.db.query<{ kid: string, private_key: string }>('select kid, private_key from signing_keys order by created_at desc limit 1')
    const key = await importPKCS8(rows[0]!.private_key, 'EdDSA')
    return new SignJWT(claims).setProtectedHeader({ alg: 'EdDSA', typ: 'at+jwt', kid: rows[0]!.kid })
      .setIssuer('gatehouse').setAudience(audience).setIssuedAt().setExpirationTime('5m').setJti('x').sign(key)
  }

  it('validates a fresh access token with its subject, expiry and roles', async () => {
    const { id, email } = await svc.register()
    const { accessToken } = await svc.login(email)
    const result = await svc.validate(accessToken)
    assert.deepEqual(result, { valid: true, sub: id, exp: decodeJwt(accessToken).exp, roles: ['user'] })
  })

  it('refuses a tampered token, another audience, alg none and garbage', async () => {
    const { email } = await svc.register()
    const { accessToken } = await svc.login(email)
    const [header, payload, signature] = accessToken.split('.')
    const claims = decodeJwt(accessToken)
    const tampered = `${header}.${b64({ ...claims, roles: ['admin'] })}.${signature}`
    assert.deepEqual(await svc.validate(tampered), { valid: false })
    const otherAudience = await signWithStoredKey({ sub: claims.sub, sid: claims.sid, roles: ['user'] }, 'another-api')
    assert.deepEqual(await svc.validate(otherAudience), { valid: false })
    const sameAudience = await signWithStoredKey({ sub: claims.sub, sid: claims.sid, roles: ['user'] }, 'gatehouse-api')
    assert.equal((await svc.validate(sameAudience)).valid, true, 'the forging helper itself works')
    const none = `${b64({ alg: 'none', typ: 'at+jwt' })}.${payload}.`
    assert.deepEqual(await svc.validate(none), { valid: false })
    assert.deepEqual(await svc.validate('not-a-jwt'), { valid: false })
  })

  it('logout ends the session: its refresh token stops working, its access token stops validating, the gateway reads it as ended', async () => {
    const { id, email } = await svc.register()
    const { accessToken, refreshToken } = await svc.login(email)
    const res = await svc.post('/api/v1/auth/logout', { refreshToken })
    assert.equal(res.statusCode, 204)
    assert.equal((await svc.refresh(refreshToken)).statusCode, 401)
    assert.deepEqual(await svc.validate(accessToken), { valid: false })
    const sid = String(decodeJwt(accessToken).sid)
    const feed = await svc.auth.app.inject({ method: 'GET', url: '/internal/auth/revocations', headers: internalHeadersFor('auth') })
    assert.equal(feed.statusCode, 200)
    const page = feed.json() as { sessions: Array<{ id: string }>, windowSeconds: number }
    assert.ok(page.sessions.some(s => s.id === sid), 'the ended session is in the feed the gateway reads')
    assert.equal(page.windowSeconds, 900 + 60, 'as far back as an access token lives, plus clock skew')
    const later = await svc.auth.app.inject({ method: 'GET', url: `/internal/auth/revocations?since=${encodeURIComponent(new Date(Date.now() + 60_000).toISOString())}`, headers: internalHeadersFor('auth') })
    assert.ok(!(later.json() as { sessions: Array<{ id: string }> }).sessions.some(s => s.id === sid), 'a cursor past it skips it')
    await waitFor(() => svc.events.find(e => e.type === 'auth.logged_out' && e.subject === id))
    assert.equal((await svc.post('/api/v1/auth/logout', { refreshToken })).statusCode, 204, 'logging out twice is fine')
  })

  it('logout-all ends every session of the bearer and needs a valid bearer', async () => {
    const { email } = await svc.register()
    const other = await svc.register()
    const a = await svc.login(email)
    const b = await svc.login(email)
    const bystander = await svc.login(other.email)
    const none = await svc.post('/api/v1/auth/logout-all', {})
    assert.equal(none.statusCode, 401)
    assert.equal(none.json().code, 'unauthorized')
    const res = await svc.post('/api/v1/auth/logout-all', {}, { authorization: `Bearer ${a.accessToken}` })
    assert.equal(res.statusCode, 204)
    assert.equal((await svc.refresh(a.refreshToken)).statusCode, 401)
    assert.equal((await svc.refresh(b.refreshToken)).statusCode, 401)
    assert.equal((await svc.validate(b.accessToken)).valid, false)
    assert.equal((await svc.validate(bystander.accessToken)).valid, true)
    const again = await svc.post('/api/v1/auth/logout-all', {}, { authorization: `Bearer ${a.accessToken}` })
    assert.equal(again.statusCode, 401, 'a revoked access token is refused')
  })
})
