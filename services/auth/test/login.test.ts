import { describe, it } from 'node:test'
import assert from 'node:assert/strict'
import { createLocalJWKSet, decodeJwt, decodeProtectedHeader, jwtVerify } from 'jose'
import { waitFor } from '@app/kit/testing'
import { PASSWORD, uniqueEmail, useAuth, withoutRequestId } from './helper.ts'

describe('POST /api/v1/auth/login', () => {
  const svc = useAuth()
  const attempt = (email: string, password: string) => svc.post('/api/v1/auth/login', { email, password })

  it('answers a token pair whose access token has the documented header and claims and verifies against the JWKS', async () => {
    const { id, email } = await svc.register()
    const res = await attempt(email.toUpperCase(), PASSWORD)
    assert.equal(res.statusCode, 200, res.body)
    const body = res.json()
    assert.equal(body.tokenType, 'Bearer')
    assert.equal(body.expiresIn, 900)
    assert.match(body.refreshToken, /^[A-Za-z0-9_-]{43}$/)
    const header = decodeProtectedHeader(body.accessToken)
    assert.equal(header.alg, 'EdDSA')
    assert.equal(header.typ, 'at+jwt')
    assert.equal(typeof header.kid, 'string')
    const claims = decodeJwt(body.accessToken)
    assert.equal(claims.sub, id)
    assert.deepEqual(claims.roles, ['user'])
    assert.equal(claims.iss, 'gatehouse')
    assert.equal(claims.aud, 'gatehouse-api')
    assert.equal(typeof claims.sid, 'string')
    assert.equal(typeof claims.jti, 'string')
    assert.equal(claims.exp! - claims.iat!, 900)

    const jwksRes = await svc.auth.app.inject({ method: 'GET', url: '/.well-known/jwks.json' })
    assert.equal(jwksRes.headers['cache-control'], 'public, max-age=300')
    const jwks = jwksRes.json()
    assert.ok(jwks.keys.every((k: Record<string, unknown>) => k.alg === 'EdDSA' && k.use === 'sig' && !('d' in k)))
    const { payload } = await jwtVerify(body.accessToken, createLocalJWKSet(jwks), { issuer: 'gatehouse', audience: 'gatehouse-api', typ: 'at+jwt' })
    assert.equal(payload.sub, id)
  })

  it('gives identical 401 invalid_credentials bodies for a wrong password and an unknown user', async () => {
    const { email } = await svc.register()
    const wrong = await attempt(email, 'wrong horse battery')
    const unknown = await attempt(uniqueEmail('nobody'), 'wrong horse battery')
    assert.equal(wrong.statusCode, 401)
    assert.equal(unknown.statusCode, 401)
    assert.equal(wrong.json().code, 'invalid_credentials')
    assert.deepEqual(withoutRequestId(wrong.json()), withoutRequestId(unknown.json()))
  })

  it('answers 429 with an integer Retry-After after 5 failures, even for the right password, without asking the user service', async () => {
    const { email } = await svc.register()
    for (let i = 0; i < 5; i++) assert.equal((await attempt(email, `wrong password ${i}`)).statusCode, 401)
    const locked = await attempt(email, 'wrong password 6')
    assert.equal(locked.statusCode, 429)
    assert.equal(locked.json().code, 'rate_limited')
    const retryAfter = Number(locked.headers['retry-after'])
    assert.ok(Number.isInteger(retryAfter) && retryAfter > 0 && retryAfter <= 900, String(locked.headers['retry-after']))
    // Another spelling of the same email is the same identifier.
    const right = await attempt(email.toLowerCase(), PASSWORD)
    assert.equal(right.statusCode, 429)
  })

  it('counts an identifier apart from others', async () => {
    const locked = await svc.register()
    const other = await svc.register()
    for (let i = 0; i < 6; i++) await attempt(locked.email, 'wrong horse battery')
    assert.equal((await attempt(other.email, PASSWORD)).statusCode, 200)
  })

  it('resets the failure count on a successful login', async () => {
    const { email } = await svc.register()
    for (let i = 0; i < 4; i++) assert.equal((await attempt(email, 'wrong horse battery')).statusCode, 401)
    assert.equal((await attempt(email, PASSWORD)).statusCode, 200)
    for (let i = 0; i < 5; i++) assert.equal((await attempt(email, 'wrong horse battery')).statusCode, 401)
    assert.equal((await attempt(email, 'wrong horse battery')).statusCode, 429)
  })

  it('refuses a body with both or neither of email and phone', async () => {
    const both = await svc.post('/api/v1/auth/login', { email: uniqueEmail(), phone: '+14155550123', password: PASSWORD })
    assert.equal(both.statusCode, 400)
    const neither = await svc.post('/api/v1/auth/login', { password: PASSWORD })
    assert.equal(neither.statusCode, 400)
    assert.equal(neither.json().code, 'validation_failed')
  })

  it('emits auth.login_succeeded and auth.login_failed, never with the password', async () => {
    const { id, email } = await svc.register()
    await attempt(email, 'a secret wrong guess')
    await svc.login(email)
    const ok = await waitFor(() => svc.events.find(e => e.type === 'auth.login_succeeded' && e.subject === id))
    assert.equal((ok.data as { userId: string }).userId, id)
    await waitFor(() => svc.events.find(e => e.type === 'auth.login_failed'))
    const serialized = JSON.stringify(svc.events)
    assert.equal(serialized.includes('a secret wrong guess'), false)
    assert.equal(serialized.includes(PASSWORD), false)
  })
})
