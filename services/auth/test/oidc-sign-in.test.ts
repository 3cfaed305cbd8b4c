import { randomBytes } from 'node:crypto'
import { describe, it } from 'node:test'
import assert from 'node:assert/strict'
import { internalHeadersFor, waitFor } from '@app/kit/testing'
import { uniqueEmail } from './helper.ts'
import { useOidc } from './oidc-stack.ts'

const subject = () => `sub-${randomBytes(6).toString('hex')}`

describe('sign-in with an identity provider', () => {
  const s = useOidc()
  const { t } = s

  it('links a provider account to the account with its verified email and signs in with a one-time code', async () => {
    const user = await s.registerConfirmed()
    const sub = subject()
    s.idp.addAccount({ sub, email: user.email.toLowerCase(), email_verified: true, name: 'Ada' })

    const back = await s.signIn(sub)
    assert.equal(back.origin + back.pathname, 'https://app.example/signed-in')
    assert.equal(back.searchParams.get('tab'), '1', 'the app\'s own parameters are kept')
    assert.equal(back.searchParams.has('access_token'), false, 'no token travels in the URL')

    const res = await s.exchange(s.codeOf(back))
    assert.equal(res.statusCode, 200, res.body)
    assert.equal(res.headers['cache-control'], 'no-store')
    const pair = res.json()
    assert.equal(pair.tokenType, 'Bearer')
    assert.equal((await t.validate(pair.accessToken)).sub, user.id)
    await waitFor(() => t.events.some(e => e.type === 'auth.login_succeeded' && e.subject === user.id && (e.data as { method: string }).method === 'oidc'))
  })

  it('emits auth.identity_linked (userId and provider, no subject or email) once, in the link\'s transaction, and not on later sign-ins', async () => {
    const user = await s.registerConfirmed()
    const sub = subject()
    s.idp.addAccount({ sub, email: user.email.toLowerCase(), email_verified: true })
    const linkedEvents = () => t.events.filter(e => e.type === 'auth.identity_linked' && e.subject === user.id)
    const outbox = async () => Number((await t.auth.ctx.db.query<{ n: number }>(
      "select count(*)::int as n from outbox where type = 'auth.identity_linked' and event->>'subject' = $1", [user.id])).rows[0]!.n)

    assert.equal((await s.exchange(s.codeOf(await s.signIn(sub)))).statusCode, 200)
    const [linked] = await waitFor(() => { const found = linkedEvents(); return found.length > 0 && found })
    assert.deepEqual(linked!.data, { userId: user.id, provider: 'acme' })
    assert.equal(JSON.stringify(linked!.data).includes(sub), false)

    // Two more sign-ins: the outbox (written in the sign-in's own transaction, so complete once it answered) holds no more.
    assert.equal((await s.exchange(s.codeOf(await s.signIn(sub)))).statusCode, 200)
    assert.equal((await s.exchange(s.codeOf(await s.signIn(sub)))).statusCode, 200)
    assert.equal(await outbox(), 1)
  })

  it('keeps the app\'s own query parameters (its state) on the way back, and lets no parameter pose as the answer', async () => {
    const user = await s.registerConfirmed()
    const sub = subject()
    s.idp.addAccount({ sub, email: user.email.toLowerCase(), email_verified: true })
    const appState = randomBytes(16).toString('base64url')
    s.idp.loginAs(sub)
    const back = (await s.browser().follow(s.startUrl('acme', `https://app.example/signed-in?state=${appState}&code=planted&error=planted`),
      url => url.href.startsWith('https://app.example/'))).url
    assert.equal(back.searchParams.get('state'), appState, 'the app checks its state on return (login CSRF)')
    assert.notEqual(back.searchParams.get('code'), 'planted')
    assert.equal(back.searchParams.getAll('code').length, 1)
    assert.equal(back.searchParams.has('error'), false)
    assert.equal((await s.exchange(s.codeOf(back))).statusCode, 200)

    const stranger = subject()
    s.idp.addAccount({ sub: stranger, email: uniqueEmail('stranger').toLowerCase(), email_verified: true })
    s.idp.loginAs(stranger)
    const refused = (await s.browser().follow(s.startUrl('acme', `https://app.example/signed-in?state=${appState}&code=planted`),
      url => url.href.startsWith('https://app.example/'))).url
    assert.equal(refused.searchParams.get('state'), appState)
    assert.equal(refused.searchParams.get('error'), 'oidc_signup_disabled')
    assert.equal(refused.searchParams.has('code'), false)
  })

  it('sends the provider PKCE (S256), a state and a nonce, and binds the flow to the browser with an HttpOnly cookie', async () => {
    const res = await s.browser().open(s.startUrl('acme'))
    assert.equal(res.status, 302)
    const location = new URL(res.headers.get('location')!)
    assert.equal(location.origin, s.idp.issuer)
    const q = location.searchParams
    assert.equal(q.get('code_challenge_method'), 'S256')
    assert.match(q.get('code_challenge') ?? '', /^[A-Za-z0-9_-]{43}$/)
    assert.ok((q.get('state') ?? '').length >= 32)
    assert.ok((q.get('nonce') ?? '').length >= 32)
    assert.equal(q.get('redirect_uri'), 'http://gatehouse.test/api/v1/auth/oidc/acme/callback')
    assert.deepEqual(q.get('scope')?.split(' ').sort(), ['email', 'openid', 'profile'])
    const cookie = res.headers.getSetCookie().find(c => c.startsWith('gh_oidc='))
    assert.ok(cookie, 'the binding cookie is set')
    assert.match(cookie, /HttpOnly/)
    assert.match(cookie, /SameSite=Lax/)
    assert.match(cookie, /Path=\/api\/v1\/auth\/oidc/)
  })

  it('signs a linked provider account in as its user even after its email changed at the provider', async () => {
    const user = await s.registerConfirmed()
    const sub = subject()
    s.idp.addAccount({ sub, email: user.email.toLowerCase(), email_verified: true })
    assert.equal((await s.exchange(s.codeOf(await s.signIn(sub)))).statusCode, 200)

    s.idp.addAccount({ sub, email: uniqueEmail('elsewhere').toLowerCase(), email_verified: false })
    const res = await s.exchange(s.codeOf(await s.signIn(sub)))
    assert.equal(res.statusCode, 200, res.body)
    assert.equal((await t.validate(res.json().accessToken)).sub, user.id)
  })

  it('links no account whose own email was never confirmed: whoever registered it may not own the address', async () => {
    const squatter = await t.register()
    const sub = subject()
    s.idp.addAccount({ sub, email: squatter.email.toLowerCase(), email_verified: true })
    const back = await s.signIn(sub, 'acme-signup')
    assert.equal(back.searchParams.get('error'), 'oidc_account_unverified')
    assert.equal(back.searchParams.has('code'), false)
    await waitFor(() => t.events.some(e => e.type === 'auth.login_failed' && (e.data as { reason: string }).reason === 'account_unverified'))
    assert.equal((await t.auth.ctx.db.query('select 1 from oidc_identities where subject = $1', [sub])).rows.length, 0)
    const account = await t.user.app.inject({ method: 'GET', url: `/internal/users/${squatter.id}`, headers: internalHeadersFor('user') })
    assert.equal(account.json().emailVerified, false, 'the provider\'s word did not confirm the address of that account')
  })

  it('creates a verified account on first sign-in when the provider allows sign-up', async () => {
    const sub = subject()
    const email = uniqueEmail('new').toLowerCase()
    s.idp.addAccount({ sub, email, email_verified: true, name: 'Grace Hopper' })
    const res = await s.exchange(s.codeOf(await s.signIn(sub, 'acme-signup')))
    assert.equal(res.statusCode, 200, res.body)
    const userId = (await t.validate(res.json().accessToken)).sub!
    const created = await t.user.app.inject({ method: 'GET', url: `/internal/users/${userId}`, headers: internalHeadersFor('user') })
    assert.equal(created.statusCode, 200, created.body)
    assert.equal(created.json().email, email)
    assert.equal(created.json().emailVerified, true)
    assert.equal(created.json().name, 'Grace Hopper')
  })

  it('refuses an unknown verified email when the provider may not create accounts', async () => {
    const sub = subject()
    s.idp.addAccount({ sub, email: uniqueEmail('stranger').toLowerCase(), email_verified: true })
    const back = await s.signIn(sub, 'acme')
    assert.equal(back.searchParams.get('error'), 'oidc_signup_disabled')
    assert.equal(back.searchParams.has('code'), false)
    await waitFor(() => t.events.some(e => e.type === 'auth.login_failed' && (e.data as { reason: string }).reason === 'signup_disabled'))
  })

  it('answers the exchange with the two-step login challenge when the user has it on', async () => {
    const user = await s.registerConfirmed()
    await t.auth.ctx.db.query(`insert into mfa_factors (user_id, channel, destination, enabled, created_at, enabled_at)
      values ($1, 'email', $2, true, now(), now())`, [user.id, user.email.toLowerCase()])
    const sub = subject()
    s.idp.addAccount({ sub, email: user.email.toLowerCase(), email_verified: true })
    const res = await s.exchange(s.codeOf(await s.signIn(sub)))
    assert.equal(res.statusCode, 200, res.body)
    assert.equal(res.json().mfaRequired, true)
    assert.equal(res.json().channel, 'email')
    assert.equal(res.json().accessToken, undefined)
  })

  it('forgets a deleted account\'s provider links, so the provider account can no longer reach it', async () => {
    const user = await s.registerConfirmed()
    const sub = subject()
    s.idp.addAccount({ sub, email: user.email.toLowerCase(), email_verified: true })
    assert.equal((await s.exchange(s.codeOf(await s.signIn(sub)))).statusCode, 200)
    const links = async () => (await t.auth.ctx.db.query('select 1 from oidc_identities where user_id = $1', [user.id])).rows.length
    assert.equal(await links(), 1)

    await t.user.ctx.db.tx(tx => t.user.ctx.events.emit(tx, 'user.deleted', { userId: user.id, email: user.email.toLowerCase(), phone: null, emailVerified: true, phoneVerified: false, deletedBy: 'self' }, user.id))
    await waitFor(async () => (await links()) === 0)
  })

  it('lists the configured providers for a sign-in page', async () => {
    const res = await t.auth.app.inject({ method: 'GET', url: '/api/v1/auth/oidc/providers' })
    assert.equal(res.statusCode, 200)
    assert.deepEqual(res.json().items.map((p: { id: string }) => p.id), ['acme', 'acme-signup', 'acme-keys', 'down'])
    assert.equal(res.json().items[0].name, 'Acme')
    assert.equal(JSON.stringify(res.json()).includes('secret'), false)
  })

  it('refuses a return address outside AUTH_REDIRECT_ALLOWLIST and an unknown provider', async () => {
    const evil = await s.browser().open(s.startUrl('acme', 'https://evil.example/signed-in'))
    assert.equal(evil.status, 400)
    const problem = await evil.json() as { code: string, errors: Array<{ path: string }> }
    assert.equal(problem.code, 'validation_failed')
    assert.equal(problem.errors[0]?.path, '/query/redirectTo')

    const unknown = await s.browser().open(s.startUrl('nope'))
    assert.equal(unknown.status, 404)
    assert.equal((await unknown.json() as { code: string }).code, 'oidc_provider_unknown')
  })
})
