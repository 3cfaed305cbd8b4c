import { describe, it } from 'node:test'
import assert from 'node:assert/strict'
import { createHash } from 'node:crypto'
import { generate } from 'otplib'
import { callerHeadersFor } from '@app/kit/testing'
import { useAuth, uniqueEmail } from './helper.ts'

const APP = 'https://app.example.test/callback'
const sidOf = (accessToken: string): string => JSON.parse(Buffer.from(accessToken.split('.')[1]!, 'base64url').toString()).sid

describe('hosted pages: configuration and the handoff to an app', () => {
  const s = useAuth({ AUTH_REDIRECT_ALLOWLIST: `${APP}, http://127.0.0.1:3000`, AUTH_MAGIC_LINK_SIGNUP: 'true', SMS_ENABLED: 'false' })
  const inject = (method: 'GET' | 'POST', url: string, payload?: object, headers: Record<string, string> = {}) =>
    s.auth.app.inject({ method, url, headers, ...(payload ? { payload } : {}) })

  /** A signed-in user: the identity assertion the gateway would send for their session, proven `authAgo` seconds ago. */
  async function signedIn (authAgo = 0) {
    const user = await s.register(uniqueEmail('hosted'))
    const pair = await s.login(user.email)
    const sessionId = sidOf(pair.accessToken)
    return { ...user, sessionId, headers: callerHeadersFor(user.id, ['user'], sessionId, { authTime: Math.floor(Date.now() / 1000) - authAgo }) }
  }

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
