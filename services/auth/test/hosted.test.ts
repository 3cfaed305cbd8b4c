import { describe, it } from 'node:test'
import assert from 'node:assert/strict'
import { createHash, randomBytes } from 'node:crypto'
import type { AddressInfo } from 'node:net'
import { generate } from 'otplib'
import { callerHeadersFor } from '@app/kit/testing'
import { useAuth, uniqueEmail } from './helper.ts'

const APP = 'https://app.example.test/callback'
const claimsOf = (accessToken: string): { sid: string, auth_time: number } => JSON.parse(Buffer.from(accessToken.split('.')[1]!, 'base64url').toString())
const sidOf = (accessToken: string): string => claimsOf(accessToken).sid
const codeOf = (location: string): string => new URL(location).searchParams.get('code')!
/** A PKCE pair (RFC 7636 S256): the verifier the app keeps, the challenge it sends along. */
function pkce () {
  const verifier = randomBytes(32).toString('base64url')
  return { verifier, challenge: createHash('sha256').update(verifier).digest('base64url') }
}

describe('hosted pages: configuration and the handoff to an app', () => {
  const s = useAuth({ AUTH_REDIRECT_ALLOWLIST: `${APP}, http://127.0.0.1:3000`, AUTH_MAGIC_LINK_SIGNUP: 'true', SMS_ENABLED: 'false' })
  const inject = (method: 'GET' | 'POST' | 'DELETE', url: string, payload?: object, headers: Record<string, string> = {}) =>
    s.auth.app.inject({ method, url, headers, ...(payload ? { payload } : {}) })

  /** A signed-in user: the identity assertion the gateway would send for their session, proven `authAgo` seconds ago. */
  async function signedIn (authAgo = 0, roles = ['user']) {
    const user = await s.register(uniqueEmail('hosted'))
    const pair = await s.login(user.email)
    const sessionId = sidOf(pair.accessToken)
    const authTime = Math.floor(Date.now() / 1000) - authAgo
    return { ...user, pair, sessionId, authTime, headers: callerHeadersFor(user.id, roles, sessionId, { authTime }) }
  }

  async function issue (headers: Record<string, string>, body: object = {}): Promise<string> {
    const issued = await inject('POST', '/api/v1/auth/handoff', { redirectTo: APP, ...body }, headers)
    assert.equal(issued.statusCode, 201, issued.body)
    return codeOf(issued.json().location)
  }

  const exchange = (code: string, codeVerifier?: string) =>
    inject('POST', '/api/v1/auth/handoff/exchange', { code, ...(codeVerifier === undefined ? {} : { codeVerifier }) })

  function assertInvalid (res: { statusCode: number, body: string, json: () => { code: string, errors: Array<{ path: string }> } }, path = '/body/code') {
    assert.equal(res.statusCode, 400, res.body)
    assert.equal(res.json().code, 'handoff_code_invalid')
    assert.equal(res.json().errors[0]!.path, path)
  }

  const sessionRow = async (id: string) => (await s.auth.ctx.db.query<{ auth_time: Date, expires_at: Date }>('select auth_time, expires_at from sessions where id = $1', [id])).rows[0]!

  it('says which return addresses and sign-in methods the pages offer', async () => {
    const res = await inject('GET', '/api/v1/auth/hosted-config')
    assert.equal(res.statusCode, 200, res.body)
    assert.deepEqual(res.json(), {
      redirectAllowlist: [APP, 'http://127.0.0.1:3000/'],
      passkeys: true,
      magicLinks: true,
      magicLinkSignup: true,
      sms: false,
      oidcProviders: []
    })
  })

  it('hands a sign-in to an allowed app as a one-time code, exchanged once for a session of its own', async () => {
    const user = await signedIn()
    const issued = await inject('POST', '/api/v1/auth/handoff', { redirectTo: `${APP}?state=xyz&code=forged` }, user.headers)
    assert.equal(issued.statusCode, 201, issued.body)
    assert.equal(issued.json().expiresIn, 60)
    assert.equal(issued.headers['cache-control'], 'no-store')
    const location = new URL(issued.json().location)
    assert.equal(`${location.origin}${location.pathname}`, APP)
    assert.equal(location.searchParams.get('state'), 'xyz', 'the app\'s own parameters are kept')
    const code = location.searchParams.get('code')!
    assert.match(code, /^[A-Za-z0-9_-]{43}$/)
    assert.deepEqual(location.searchParams.getAll('code'), [code], 'only Gatehouse names the code')

    // Stored as its hash only.
    const { rows } = await s.auth.ctx.db.query<{ code_hash: string, session_id: string }>('select code_hash, session_id from handoff_codes where user_id = $1', [user.id])
    assert.deepEqual(rows, [{ code_hash: createHash('sha256').update(code).digest('hex'), session_id: user.sessionId }])

    const exchanged = await inject('POST', '/api/v1/auth/handoff/exchange', { code })
    assert.equal(exchanged.statusCode, 200, exchanged.body)
    const pair = exchanged.json()
    assert.equal(pair.tokenType, 'Bearer')
    const validation = await s.validate(pair.accessToken)
    assert.equal(validation.sub, user.id)
    assert.notEqual(sidOf(pair.accessToken), user.sessionId, 'the app gets a session of its own')
    assert.equal((await s.refresh(pair.refreshToken)).statusCode, 200)

    const again = await inject('POST', '/api/v1/auth/handoff/exchange', { code })
    assert.equal(again.statusCode, 400)
    assert.equal(again.json().code, 'handoff_code_invalid')
    assert.equal(again.json().errors[0].path, '/body/code')
  })

  it('refuses a code after its minute', async (t) => {
    const user = await signedIn()
    const issued = await inject('POST', '/api/v1/auth/handoff', { redirectTo: APP }, user.headers)
    const code = new URL(issued.json().location).searchParams.get('code')!
    const later = new Date(Date.now() + 61_000)
    t.mock.method(s.auth.ctx, 'now', () => later)
    const res = await inject('POST', '/api/v1/auth/handoff/exchange', { code })
    assert.equal(res.statusCode, 400)
    assert.equal(res.json().code, 'handoff_code_invalid')
  })

  it('refuses a return address outside the allow-list, naming it', async () => {
    const user = await signedIn()
    for (const redirectTo of ['https://evil.example/callback', 'https://app.example.test/callbackx', 'https://app.example.test@evil.example/callback', 'javascript:alert(1)']) {
      const res = await inject('POST', '/api/v1/auth/handoff', { redirectTo }, user.headers)
      assert.equal(res.statusCode, 400, redirectTo)
      assert.equal(res.json().code, 'validation_failed')
      assert.equal(res.json().errors[0].path, '/body/redirectTo')
    }
    const { rows } = await s.auth.ctx.db.query('select 1 from handoff_codes where user_id = $1', [user.id])
    assert.equal(rows.length, 0)
  })

  it('needs a signed-in caller whose proof of identity is recent', async () => {
    assert.equal((await inject('POST', '/api/v1/auth/handoff', { redirectTo: APP })).statusCode, 401)
    const stale = await signedIn(3600)
    const res = await inject('POST', '/api/v1/auth/handoff', { redirectTo: APP }, stale.headers)
    assert.equal(res.statusCode, 403)
    assert.equal(res.json().code, 'reauth_required')
  })

  it('gives the app\'s session the proof of identity of the sign-in it came from, never a fresher one, also along a chain', async () => {
    const user = await signedIn(290)
    const first = await exchange(await issue(user.headers))
    assert.equal(first.statusCode, 200, first.body)
    const claims = claimsOf(first.json().accessToken)
    assert.equal(claims.auth_time, user.authTime, 'auth_time is inherited, not now')
    const row = await sessionRow(claims.sid)
    assert.equal(Math.floor(row.auth_time.getTime() / 1000), user.authTime)
    assert.ok(row.expires_at <= (await sessionRow(user.sessionId)).expires_at, 'it ends no later than the session it came from')
    // A refresh keeps it.
    const refreshed = await s.refresh(first.json().refreshToken)
    assert.equal(claimsOf(refreshed.json().accessToken).auth_time, user.authTime)

    // Handing the handed-off session on again keeps the same old proof: a chain never makes a session fresh.
    const chained = await exchange(await issue(callerHeadersFor(user.id, ['user'], claims.sid, { authTime: claims.auth_time })))
    assert.equal(chained.statusCode, 200, chained.body)
    assert.equal(claimsOf(chained.json().accessToken).auth_time, user.authTime)
    // And once that proof is older than REAUTH_MAX_AGE_SECONDS, no further handoff.
    const stale = await inject('POST', '/api/v1/auth/handoff', { redirectTo: APP }, callerHeadersFor(user.id, ['user'], claims.sid, { authTime: user.authTime - 20 }))
    assert.equal(stale.json().code, 'reauth_required')
  })

  it('keeps the session\'s own older auth_time when the caller claims a fresher one', async () => {
    const user = await signedIn()
    const old = new Date(Date.now() - 200_000)
    await s.auth.ctx.db.query('update sessions set auth_time = $2 where id = $1', [user.sessionId, old])
    const res = await exchange(await issue(user.headers))
    assert.equal(claimsOf(res.json().accessToken).auth_time, Math.floor(old.getTime() / 1000))
  })

  it('refuses a code once the session that asked for it has ended, and asks for no code from an ended session', async () => {
    // Ended by the user from the sessions list.
    const listed = await signedIn()
    const code1 = await issue(listed.headers)
    assert.equal((await inject('DELETE', `/api/v1/auth/sessions/${listed.sessionId}`, undefined, listed.headers)).statusCode, 204)
    assertInvalid(await exchange(code1))
    const late = await inject('POST', '/api/v1/auth/handoff', { redirectTo: APP }, listed.headers)
    assert.equal(late.statusCode, 401, late.body)

    // Logged out with its refresh token.
    const out = await signedIn()
    const code2 = await issue(out.headers)
    assert.equal((await s.post('/api/v1/auth/logout', { refreshToken: out.pair.refreshToken })).statusCode, 204)
    assertInvalid(await exchange(code2))

    // Every session ended (logout-all; a password change or disabling ends them the same way).
    const all = await signedIn()
    const code3 = await issue(all.headers)
    assert.equal((await s.post('/api/v1/auth/logout-all', {}, { authorization: `Bearer ${all.pair.accessToken}` })).statusCode, 204)
    assertInvalid(await exchange(code3))

    // Expired.
    const expired = await signedIn()
    const code4 = await issue(expired.headers)
    await s.auth.ctx.db.query('update sessions set expires_at = now() - interval \'1 second\' where id = $1', [expired.sessionId])
    assertInvalid(await exchange(code4))
  })

  it('binds a code to the app\'s codeChallenge: only its verifier exchanges it, and a wrong try spends it', async () => {
    const user = await signedIn()
    const { verifier, challenge } = pkce()
    const code = await issue(user.headers, { codeChallenge: challenge })
    assert.equal((await s.auth.ctx.db.query('select code_challenge from handoff_codes where code_hash = $1', [createHash('sha256').update(code).digest('hex')])).rows[0]?.code_challenge, challenge)
    assertInvalid(await exchange(code), '/body/codeVerifier')
    assertInvalid(await exchange(code, verifier), '/body/code')

    const again = await issue(user.headers, { codeChallenge: challenge })
    assertInvalid(await exchange(again, pkce().verifier), '/body/codeVerifier')
    const third = await issue(user.headers, { codeChallenge: challenge })
    const ok = await exchange(third, verifier)
    assert.equal(ok.statusCode, 200, ok.body)

    // A verifier for a code issued without a challenge: the challenge was dropped on the way, refused.
    assertInvalid(await exchange(await issue(user.headers), verifier), '/body/codeVerifier')

    for (const codeChallenge of ['short', `${challenge}=`, challenge.replace(/.$/, '+')]) {
      const bad = await inject('POST', '/api/v1/auth/handoff', { redirectTo: APP, codeChallenge }, user.headers)
      assert.equal(bad.statusCode, 400, codeChallenge)
      assert.equal(bad.json().code, 'validation_failed')
    }
  })

  it('refuses to hand an administrator\'s sign-in to an app (AUTH_HANDOFF_ALLOW_ADMIN off)', async () => {
    const admin = await signedIn(0, ['user', 'admin'])
    const refused = await inject('POST', '/api/v1/auth/handoff', { redirectTo: APP }, admin.headers)
    assert.equal(refused.statusCode, 403, refused.body)
    assert.equal(refused.json().code, 'handoff_admin_refused')

    // Made an administrator after the code was issued: refused at the exchange (the roles are read again).
    const user = await signedIn()
    const code = await issue(user.headers)
    await s.user.ctx.db.query('update users set roles = \'{user,admin}\' where id = $1', [user.id])
    const late = await exchange(code)
    assert.equal(late.statusCode, 403, late.body)
    assert.equal(late.json().code, 'handoff_admin_refused')
  })

  it('answers 503 when the user service is unavailable at the exchange; the code stays spent', async () => {
    const user = await signedIn()
    const code = await issue(user.headers)
    const server = s.user.app.server
    const { address, port } = server.address() as AddressInfo
    await new Promise<void>((resolve) => { server.close(() => resolve()); server.closeAllConnections() })
    let res
    try {
      res = await exchange(code)
    } finally {
      await new Promise<void>((resolve) => { server.listen(port, address, () => resolve()) })
    }
    assert.equal(res.statusCode, 503, res.body)
    assert.equal(res.json().code, 'unavailable')
    assertInvalid(await exchange(code))
  })

  it('replaces the recovery codes: the old ones stop working, the new ones work', async () => {
    const user = await signedIn()
    const off = await inject('POST', '/api/v1/auth/mfa/recovery-codes', undefined, user.headers)
    assert.equal(off.statusCode, 400)
    assert.equal(off.json().code, 'mfa_unavailable')

    const setup = (await s.auth.app.inject({ method: 'PUT', url: '/api/v1/auth/mfa', headers: user.headers, payload: { enabled: true, channel: 'totp' } })).json()
    const otp = await generate({ secret: setup.secret })
    const on = await s.auth.app.inject({ method: 'PUT', url: '/api/v1/auth/mfa', headers: user.headers, payload: { enabled: true, channel: 'totp', otp } })
    assert.equal(on.statusCode, 200, on.body)
    const old: string[] = on.json().recoveryCodes

    const stale = callerHeadersFor(user.id, ['user'], user.sessionId, { authTime: Math.floor(Date.now() / 1000) - 3600 })
    assert.equal((await inject('POST', '/api/v1/auth/mfa/recovery-codes', undefined, stale)).json().code, 'reauth_required')

    const renewed = await inject('POST', '/api/v1/auth/mfa/recovery-codes', undefined, user.headers)
    assert.equal(renewed.statusCode, 200, renewed.body)
    const fresh: string[] = renewed.json().recoveryCodes
    assert.equal(fresh.length, 10)
    assert.equal(fresh.filter(c => old.includes(c)).length, 0)

    const challenge = (await s.post('/api/v1/auth/login', { email: user.email, password: 'correct horse battery' })).json()
    const refused = await s.post('/api/v1/auth/mfa/verify', { challengeId: challenge.challengeId, otp: old[0]! })
    assert.equal(refused.json().code, 'mfa_code_invalid')
    const accepted = await s.post('/api/v1/auth/mfa/verify', { challengeId: challenge.challengeId, otp: fresh[0]! })
    assert.equal(accepted.statusCode, 200, accepted.body)
  })
})

describe('hosted pages: an administrator\'s handoff with AUTH_HANDOFF_ALLOW_ADMIN', () => {
  const s = useAuth({ AUTH_REDIRECT_ALLOWLIST: APP, AUTH_HANDOFF_ALLOW_ADMIN: 'true' })

  it('hands it over', async () => {
    const user = await s.register(uniqueEmail('hosted-admin'))
    await s.user.ctx.db.query('update users set roles = \'{user,admin}\' where id = $1', [user.id])
    const pair = await s.login(user.email)
    const headers = callerHeadersFor(user.id, ['user', 'admin'], sidOf(pair.accessToken), { authTime: Math.floor(Date.now() / 1000) })
    const issued = await s.auth.app.inject({ method: 'POST', url: '/api/v1/auth/handoff', headers, payload: { redirectTo: APP } })
    assert.equal(issued.statusCode, 201, issued.body)
    const res = await s.post('/api/v1/auth/handoff/exchange', { code: codeOf(issued.json().location) })
    assert.equal(res.statusCode, 200, res.body)
    assert.deepEqual((await s.validate(res.json().accessToken)).roles, ['user', 'admin'])
  })
})
