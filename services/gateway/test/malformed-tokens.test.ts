import { describe, it } from 'node:test'
import assert from 'node:assert/strict'
import { b64url, signToken, useGateway, AUDIENCE, KID } from './helper.ts'

/**
 * Bearer tokens broken in shape rather than in claims (identity.test.ts covers
 * alg none, HS256 confusion, foreign keys and claims): each is refused 401 by
 * the gateway, on a public route as on an authenticated one, and reaches no service.
 */
describe('malformed bearer tokens at the gateway', () => {
  const gw = useGateway()

  async function assertRefused (authorization: string, path = '/api/v1/password/reset') {
    const before = gw.fake.seen.length
    const res = await gw.call(path, { authorization })
    assert.equal(res.status, 401, authorization.slice(0, 80))
    assert.match(String(res.headers.get('content-type')), /^application\/problem\+json/)
    assert.equal(res.body.code, 'unauthorized')
    assert.deepEqual(gw.fake.seen.slice(before).filter(s => s.url.startsWith('/api/')), [], 'never reaches a service')
  }

  const claims = () => {
    const now = Math.floor(Date.now() / 1000)
    return { sub: 'u-1', sid: 's-1', roles: ['admin'], iss: 'gatehouse', aud: AUDIENCE, iat: now, exp: now + 600, jti: 'j-1' }
  }

  it('refuses a good token truncated anywhere: signature cut, dropped, or the payload cut short', async () => {
    const token = await signToken(gw.key)
    const [header, payload, signature] = token.split('.') as [string, string, string]
    for (const truncated of [
      token.slice(0, -10),
      `${header}.${payload}.${signature.slice(0, 43)}`,
      `${header}.${payload}.`,
      `${header}.${payload}`,
      `${header}.${payload.slice(0, 20)}`,
      header
    ]) {
      await assertRefused(`Bearer ${truncated}`)
    }
    await assertRefused(`Bearer ${token.slice(0, -10)}`, '/api/v1/users/me')
  })

  it('refuses segments that are not base64url JSON, and JWE-shaped or extra segments', async () => {
    const token = await signToken(gw.key)
    const [header, payload, signature] = token.split('.') as [string, string, string]
    for (const garbage of [
      '!!!.@@@.###',
      `${b64url('not json')}.${payload}.${signature}`,
      `${header}.${b64url('[1,2,3')}.${signature}`,
      `${header}.${payload}.${signature}.${signature}`,
      `${header}.${payload}.${signature}.${signature}.${signature}`,
      `${header}..${signature}`,
      '...',
      `${header}.${payload}.${signature}%00`
    ]) {
      await assertRefused(`Bearer ${garbage}`)
    }
  })

  it('refuses a signature labelled with another algorithm, and alg none in any spelling or with a signature', async () => {
    const token = await signToken(gw.key)
    const [, payload, signature] = token.split('.') as [string, string, string]
    for (const alg of ['ES256', 'RS256', 'PS256', 'HS512', 'none', 'None', 'NONE', '']) {
      const header = b64url({ alg, typ: 'at+jwt', kid: KID })
      await assertRefused(`Bearer ${header}.${payload}.${signature}`)
    }
    const unsigned = `${b64url({ alg: 'none', typ: 'at+jwt', kid: KID })}.${b64url(claims())}`
    await assertRefused(`Bearer ${unsigned}.${signature}`, '/api/v1/users/me')
    await assertRefused(`Bearer ${unsigned}.`, '/api/v1/users/me')
  })

  it('refuses two tokens in one header, a bearer scheme in another case with garbage, and a 6 KB token', async () => {
    const token = await signToken(gw.key)
    await assertRefused(`Bearer ${token} ${token}`)
    await assertRefused('bEaReR not-a-token')
    await assertRefused(`Bearer ${'a'.repeat(2000)}.${'b'.repeat(2000)}.${'c'.repeat(2000)}`)
  })
})
