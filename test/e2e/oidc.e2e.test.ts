import { randomBytes } from 'node:crypto'
import { after, before, describe, it } from 'node:test'
import assert from 'node:assert/strict'
import { freePort, waitFor } from '@app/kit/testing'
import { createBrowser } from '../support/browser.ts'
import { startTestOidcProvider } from '../support/oidc-provider.ts'
import type { TestOidcProvider } from '../support/oidc-provider.ts'
import { usePlatform } from './helper.ts'

const PASSWORD = 'correct horse battery'
const ADMIN = { email: `oidc.admin.${randomBytes(4).toString('hex')}@example.com`, password: 'admin passphrase for tests' }
// The public name of the gateway, as registered at the provider; the test browser resolves it to the gateway's port.
const PUBLIC_HOST = 'gatehouse.test'
const APP = 'https://app.example/auth/done'
const bearer = (token: string) => ({ authorization: `Bearer ${token}` })
const subject = () => `sub-${randomBytes(6).toString('hex')}`

interface AuditEntry { type: string, data: { method?: string, reason?: string } }
interface Message { subject: string | null, text: string }

describe('sign-in with an OpenID provider, through the gateway', () => {
  // Each sign-in is three calls in the gateway's `sensitive` group (start, callback, exchange): room for every test's.
  const env: Record<string, string> = { ADMIN_EMAIL: ADMIN.email, ADMIN_PASSWORD: ADMIN.password, GATEWAY_RATE_LIMITS: 'global=off; ip=20000/min burst 20000; user=20000/min burst 20000; group.sensitive=5000/min burst 5000' }
  let idp: TestOidcProvider
  before(async () => {
    idp = await startTestOidcProvider([{ clientId: 'gatehouse', clientSecret: 'e2e-client-secret-0123456789', redirectUris: [`http://${PUBLIC_HOST}/api/v1/auth/oidc/corp/callback`] }])
    Object.assign(env, {
      AUTH_OIDC_PROVIDERS: JSON.stringify([
        { id: 'corp', name: 'Corp SSO', issuer: idp.issuer, clientId: 'gatehouse', clientSecretEnv: 'CORP_OIDC_SECRET', allowSignup: true },
        // Nothing listens there.
        { id: 'offline', issuer: `http://127.0.0.1:${await freePort()}`, clientId: 'gatehouse', clientSecret: 'unused' }
      ]),
      CORP_OIDC_SECRET: 'e2e-client-secret-0123456789',
      AUTH_OIDC_CALLBACK_URL: `http://${PUBLIC_HOST}/api/v1/auth/oidc/{provider}/callback`,
      AUTH_REDIRECT_ALLOWLIST: APP
    })
  })
  const gw = usePlatform(env)
  after(async () => { await idp?.stop() })

  const browser = () => createBrowser({ hosts: { [PUBLIC_HOST]: gw.url } })
  const start = `http://${PUBLIC_HOST}/api/v1/auth/oidc/corp/start?redirectTo=${encodeURIComponent(APP)}`
  const signIn = async (sub: string, using = browser()) => {
    idp.loginAs(sub)
    return (await using.follow(start, url => url.href.startsWith(APP))).url
  }
  const asAdmin = async () => bearer((await gw.json('POST', '/api/v1/auth/login', { email: ADMIN.email, password: ADMIN.password })).body.accessToken)
  const failures = async () => {
    const res = await gw.json('GET', '/api/v1/audit/events?type=auth.login_failed&limit=200', undefined, await asAdmin())
    return (res.body.items as AuditEntry[]).filter(e => e.data.method === 'oidc').map(e => e.data.reason)
  }

  it('links the account with the verified email, and the exchanged token pair works on /users/me', async () => {
    const email = `oidc.${randomBytes(4).toString('hex')}@example.com`
    assert.equal((await gw.json('POST', '/api/v1/users/register', { email, password: PASSWORD })).status, 201)
    // Only an account that confirmed its email is linked: confirm it with the link that was mailed.
    const link = await waitFor(async () => ((await gw.json('GET', `/dev/inbox?to=${encodeURIComponent(email)}`)).body.items as Message[])
      .find(m => m.subject?.startsWith('Confirm your email')), undefined, 50)
    const token = new URL(/https?:\/\/\S+/.exec(link.text)![0]).searchParams.get('token')
    assert.equal((await gw.json('POST', '/api/v1/email-verification/verify', { token })).status, 200)
    const sub = subject()
    idp.addAccount({ sub, email, email_verified: true, name: 'Ada' })

    const back = await signIn(sub)
    const code = back.searchParams.get('code')
    assert.ok(code, back.href)
    const pair = await gw.json('POST', '/api/v1/auth/oidc/exchange', { code })
    assert.equal(pair.status, 200, JSON.stringify(pair.body))
    const me = await gw.json('GET', '/api/v1/users/me', undefined, bearer(pair.body.accessToken))
    assert.equal(me.status, 200)
    assert.equal(me.body.email, email)

    const replay = await gw.json('POST', '/api/v1/auth/oidc/exchange', { code })
    assert.equal(replay.status, 400)
    assert.equal(replay.body.code, 'oidc_code_invalid')

    // The link is a new way into the account: its owner is told (auth.identity_linked, a security message).
    const linkedMail = async () => ((await gw.json('GET', `/dev/inbox?to=${encodeURIComponent(email)}`)).body.items as Message[])
      .filter(m => m.subject?.startsWith('A sign-in was linked to your'))
    const [told] = await waitFor(async () => { const found = await linkedMail(); return found.length > 0 && found }, undefined, 50)
    assert.match(told!.text, /identity provider \(corp\)/)
    assert.equal(told!.text.includes(sub), false, 'never the provider\'s subject')
    // In the audit trail too (that a later sign-in emits none is checked in services/auth/test/oidc-sign-in.test.ts).
    await waitFor(async () => {
      const audit = await gw.json('GET', '/api/v1/audit/events?type=auth.identity_linked&limit=200', undefined, await asAdmin())
      return (audit.body.items as Array<{ data: { userId: string, provider: string } }>).some(e => e.data.userId === me.body.id && e.data.provider === 'corp')
    }, undefined, 100)
  })

  it('links no account that never confirmed its email', async () => {
    const email = `oidc.squatted.${randomBytes(4).toString('hex')}@example.com`
    assert.equal((await gw.json('POST', '/api/v1/users/register', { email, password: PASSWORD })).status, 201)
    const sub = subject()
    idp.addAccount({ sub, email, email_verified: true })
    const back = await signIn(sub)
    assert.equal(back.searchParams.get('error'), 'oidc_account_unverified')
    assert.equal(back.searchParams.has('code'), false)
  })

  it('creates the account of a new verified email when the provider allows sign-up', async () => {
    const email = `oidc.new.${randomBytes(4).toString('hex')}@example.com`
    const sub = subject()
    idp.addAccount({ sub, email, email_verified: true, name: 'Grace' })
    const code = (await signIn(sub)).searchParams.get('code')!
    const pair = await gw.json('POST', '/api/v1/auth/oidc/exchange', { code })
    assert.equal(pair.status, 200)
    const me = await gw.json('GET', '/api/v1/users/me', undefined, bearer(pair.body.accessToken))
    assert.equal(me.body.email, email)
    assert.equal(me.body.emailVerified, true)
    const found = await gw.json('GET', `/api/v1/users?query=${encodeURIComponent(email)}`, undefined, await asAdmin())
    assert.deepEqual(found.body.items.map((u: { email: string }) => u.email), [email], 'the search the next test relies on finds such an account')
  })

  it('refuses a wrong state and an unverified email, creates no account, and audits both', async () => {
    const sub = subject()
    const email = `oidc.unverified.${randomBytes(4).toString('hex')}@example.com`
    idp.addAccount({ sub, email, email_verified: false })
    idp.loginAs(sub)
    const using = browser()
    const atCallback = (await using.follow(start, url => url.pathname.endsWith('/callback'))).url
    const forged = new URL(atCallback)
    forged.searchParams.set('state', randomBytes(32).toString('base64url'))
    const res = await using.open(forged.href)
    assert.equal(res.status, 400)
    assert.equal(res.headers.get('content-type')?.split(';')[0], 'application/problem+json')
    assert.equal((await res.json() as { code: string }).code, 'oidc_state_invalid')

    const finished = await using.open(atCallback.href)
    assert.equal(finished.status, 302)
    const back = new URL(finished.headers.get('location')!)
    assert.equal(back.searchParams.get('error'), 'oidc_email_unverified')
    assert.equal(back.searchParams.has('code'), false)
    const found = await gw.json('GET', `/api/v1/users?query=${encodeURIComponent(email)}`, undefined, await asAdmin())
    assert.equal(found.status, 200)
    assert.deepEqual(found.body.items, [], 'the provider may create accounts, but not for an unverified email')

    await waitFor(async () => {
      const reasons = await failures()
      return reasons.includes('state_invalid') && reasons.includes('email_unverified')
    }, undefined, 100)
  })

  it('answers 503 oidc_provider_unavailable when the provider cannot be reached', async () => {
    const res = await browser().open(`http://${PUBLIC_HOST}/api/v1/auth/oidc/offline/start?redirectTo=${encodeURIComponent(APP)}`)
    assert.equal(res.status, 503)
    assert.ok(res.headers.get('retry-after'))
    assert.equal((await res.json() as { code: string }).code, 'oidc_provider_unavailable')
  })

  // Last: it stops the provider.
  it('returns to the app with oidc_provider_unavailable when the provider goes down during the sign-in', async () => {
    const sub = subject()
    idp.addAccount({ sub, email: `oidc.down.${randomBytes(4).toString('hex')}@example.com`, email_verified: true })
    idp.loginAs(sub)
    const using = browser()
    const atCallback = (await using.follow(start, url => url.pathname.endsWith('/callback'))).url
    await idp.stop()
    const res = await using.open(atCallback.href)
    assert.equal(res.status, 302)
    const back = new URL(res.headers.get('location')!)
    assert.equal(back.searchParams.get('error'), 'oidc_provider_unavailable')
    assert.doesNotMatch(back.searchParams.get('error_description') ?? '', /127\.0\.0\.1|ECONNREFUSED|fetch failed/, 'a failure is described generically')
  })
})
