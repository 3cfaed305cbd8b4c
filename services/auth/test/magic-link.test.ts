import { after, before, describe, it } from 'node:test'
import assert from 'node:assert/strict'
import { randomBytes, randomUUID } from 'node:crypto'
import { generate } from 'otplib'
import { callerHeadersFor, openTestBackends, startTestService, waitFor } from '@app/kit/testing'
import type { TestBackends } from '@app/kit/testing'
import type { Env } from '@app/kit/config'
import type { CloudEvent } from '@app/kit/bus'
import { notificationService } from '@app/notification'
import { userService } from '@app/user'
import { authService } from '../src/service.ts'

type Running = Awaited<ReturnType<typeof startTestService>>

const APP = 'https://app.example.com/signed-in'
const FIREFOX = 'Mozilla/5.0 (X11; Linux x86_64; rv:128.0) Gecko/20100101 Firefox/128.0'
const CHROME_MAC = 'Mozilla/5.0 (Macintosh; Intel Mac OS X 10_15_7) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/130.0 Safari/537.36'

/** User, notification (dev inbox) and auth on one set of backends; auth calls user over HTTP. */
function useMagicLinkStack (overrides: Env = {}) {
  const s = { events: [] as CloudEvent[] } as { backends: TestBackends, user: Running, notification: Running, auth: Running, events: CloudEvent[] }
  before(async () => {
    s.backends = await openTestBackends()
    s.user = await startTestService(userService, { USER_ARGON2_MEMORY_KIB: '1024', USER_ARGON2_TIME_COST: '1' }, s.backends)
    s.notification = await startTestService(notificationService, {}, s.backends)
    s.auth = await startTestService(authService, {
      USER_SERVICE_URL: s.user.url,
      AUTH_REDIRECT_ALLOWLIST: 'https://app.example.com',
      AUTH_MAGIC_LINK_MAX_PER_IP_PER_HOUR: '1000',
      ...overrides
    }, s.backends)
    await s.backends.bus.bus.subscribe({ group: `magic-link-test-${randomBytes(4).toString('hex')}`, bindings: ['auth.*', 'user.*'] }, async (event) => {
      s.events.push(event)
    })
  })
  after(async () => {
    for (const running of [s.auth, s.notification, s.user]) await running?.cleanup()
    await s.backends?.cleanup()
  })
  return s
}

const uniqueEmail = (tag = 'ml') => `${tag}.${randomBytes(5).toString('hex')}@example.com`

function helpers (s: ReturnType<typeof useMagicLinkStack>) {
  const ask = (email: string, options: { redirectTo?: string, cookie?: string, userAgent?: string } = {}) => s.auth.app.inject({
    method: 'POST',
    url: '/api/v1/auth/magic-link',
    payload: { email, ...(options.redirectTo ? { redirectTo: options.redirectTo } : {}) },
    headers: { 'user-agent': options.userAgent ?? FIREFOX, ...(options.cookie ? { cookie: options.cookie } : {}) }
  })
  /** The `name=value` part of the nonce cookie an answer set. */
  const cookieOf = (res: { headers: Record<string, unknown> }) => String(res.headers['set-cookie']).split(';')[0]!
  const mails = async (email: string) => ((await s.notification.app.inject({ method: 'GET', url: `/dev/inbox?to=${encodeURIComponent(email)}` })).json().items as Array<{ subject: string, text: string, html?: string }>)
    .filter(m => /sign-in link/i.test(m.subject))
  /** The token of the `n`-th link mailed to the address (newest first in the inbox). */
  async function token (email: string, n = 1): Promise<string> {
    const items = await waitFor(async () => { const all = await mails(email); return all.length >= n && all })
    return /[?&]token=([A-Za-z0-9_-]{43})/.exec(items[0]!.text)![1]!
  }
  const verify = (body: object, cookie?: string) => s.auth.app.inject({
    method: 'POST', url: '/api/v1/auth/magic-link/verify', payload: body, headers: { 'user-agent': CHROME_MAC, ...(cookie ? { cookie } : {}) }
  })
  const page = (tok: string, cookie?: string) => s.auth.app.inject({ method: 'GET', url: `/api/v1/auth/magic-link/verify?token=${tok}`, headers: cookie ? { cookie } : {} })
  async function register (email = uniqueEmail()): Promise<{ id: string, email: string }> {
    const res = await s.user.app.inject({ method: 'POST', url: '/api/v1/users/register', payload: { email, password: 'correct horse battery' } })
    assert.equal(res.statusCode, 201, res.body)
    return { id: res.json().id, email }
  }
  const validate = async (accessToken: string) => (await s.auth.app.inject({ method: 'POST', url: '/api/v1/auth/validate', payload: { token: accessToken } })).json()
  const failures = (reason: string) => s.events.filter(e => e.type === 'auth.login_failed' && (e.data as { method: string, reason: string }).method === 'magic_link' && (e.data as { reason: string }).reason === reason)
  const login = (email: string, password = 'correct horse battery') => s.auth.app.inject({ method: 'POST', url: '/api/v1/auth/login', payload: { email, password } })
  const refresh = (refreshToken: string) => s.auth.app.inject({ method: 'POST', url: '/api/v1/auth/refresh', payload: { refreshToken } })
  /** Turns on two-step login with an authenticator app; answers its secret. */
  async function totpOn (userId: string): Promise<string> {
    const headers = callerHeadersFor(userId)
    const setup = (await s.auth.app.inject({ method: 'PUT', url: '/api/v1/auth/mfa', payload: { enabled: true, channel: 'totp' }, headers })).json()
    const code = await generate({ secret: setup.secret, epoch: Math.floor(Date.now() / 1000) })
    const on = await s.auth.app.inject({ method: 'PUT', url: '/api/v1/auth/mfa', payload: { enabled: true, channel: 'totp', otp: code }, headers })
    assert.equal(on.statusCode, 200, on.body)
    return setup.secret
  }
  return { ask, cookieOf, mails, token, verify, page, register, validate, failures, login, refresh, totpOn }
}

describe('magic links', () => {
  const s = useMagicLinkStack()
  const h = helpers(s)

  it('answers every address the same 202 with a browser cookie, and mails only an account', async () => {
    const user = await h.register()
    const stranger = uniqueEmail('nobody')
    const unknown = await h.ask(stranger)
    const known = await h.ask(user.email)
    for (const res of [unknown, known]) {
      assert.equal(res.statusCode, 202)
      assert.match(String(res.headers['set-cookie']), /^gh_magic_link=[A-Za-z0-9_-]{43}; Path=\/api\/v1\/auth\/magic-link; Max-Age=900; HttpOnly; SameSite=Lax$/)
    }
    assert.deepEqual(unknown.json(), known.json())
    await h.token(user.email)
    // The stranger's request went through the same queue before the account's: it has been handled, and mailed nothing.
    assert.deepEqual(await h.mails(stranger), [])
    const { rows } = await s.auth.ctx.db.query('select 1 from magic_links where email = $1', [stranger])
    assert.equal(rows.length, 0)
    const requested = await waitFor(() => s.events.find(e => e.type === 'auth.magic_link_requested' && e.subject === user.id))
    assert.deepEqual(requested.data, { userId: user.id, signup: false })
  })

  it('signs in the browser that asked: token pair, the email verified, then the link is spent', async () => {
    const user = await h.register()
    const cookie = h.cookieOf(await h.ask(user.email))
    const tok = await h.token(user.email)
    // The page spends nothing (a mail scanner opening it changes nothing) and shows no other-device warning.
    const shown = await h.page(tok, cookie)
    assert.equal(shown.statusCode, 400, 'without redirectTo the hosted page sends the person back to the app')
    const res = await h.verify({ token: tok }, cookie)
    assert.equal(res.statusCode, 200, res.body)
    const pair = res.json()
    assert.equal(pair.tokenType, 'Bearer')
    const validation = await h.validate(pair.accessToken)
    assert.equal(validation.valid, true)
    assert.equal(validation.sub, user.id)
    const succeeded = await waitFor(() => s.events.find(e => e.type === 'auth.login_succeeded' && e.subject === user.id))
    assert.equal((succeeded.data as { method: string }).method, 'magic_link')
    const account = await s.user.app.inject({ method: 'GET', url: `/api/v1/users/${user.id}`, headers: callerHeadersFor(user.id) })
    assert.equal(account.json().emailVerified, true)

    const again = await h.verify({ token: tok }, cookie)
    assert.equal(again.statusCode, 410)
    assert.equal(again.json().code, 'magic_link_used')
    assert.equal(again.json().errors[0].path, '/body/token')
    await waitFor(() => h.failures('magic_link_used').length > 0)
    // Neither the token nor the address is in any event.
    const all = JSON.stringify(s.events)
    assert.equal(all.includes(tok), false)
  })

  it('in another browser: 409 naming where it was asked from, nothing spent, then works once confirmed', async () => {
    const user = await h.register()
    await h.ask(user.email)
    const tok = await h.token(user.email)
    const elsewhere = await h.verify({ token: tok })
    assert.equal(elsewhere.statusCode, 409)
    assert.equal(elsewhere.json().code, 'magic_link_other_device')
    assert.equal(elsewhere.json().requestedFrom.agent, 'Firefox on Linux')
    assert.equal(elsewhere.json().requestedFrom.network, '127.0.0.0/24')
    const wrongCookie = await h.verify({ token: tok }, `gh_magic_link=${'x'.repeat(43)}`)
    assert.equal(wrongCookie.statusCode, 409)
    const confirmed = await h.verify({ token: tok, confirmDevice: true })
    assert.equal(confirmed.statusCode, 200, confirmed.body)
    assert.equal((await h.validate(confirmed.json().accessToken)).sub, user.id)
  })

  it('hosted page: the GET spends nothing, the button\'s POST returns to redirectTo with a one-time code', async () => {
    const user = await h.register()
    const cookie = h.cookieOf(await h.ask(user.email, { redirectTo: `${APP}?state=abc` }))
    const tok = await h.token(user.email)
    for (let i = 0; i < 2; i++) {
      const page = await h.page(tok, cookie)
      assert.equal(page.statusCode, 200)
      assert.match(String(page.headers['content-security-policy']), /default-src 'none'.*form-action 'self' https:\/\/app\.example\.com/)
      assert.equal(page.headers['referrer-policy'], 'no-referrer')
      assert.doesNotMatch(page.body, /<script/i)
      assert.match(page.body, /<form method="post" action="\/api\/v1\/auth\/magic-link\/verify\/form">/)
      assert.doesNotMatch(page.body, /this device/)
    }
    // Opened without the cookie, the page says where the link was asked from and asks to confirm.
    const other = await h.page(tok)
    assert.match(other.body, /signing in on <strong>this device<\/strong>.*Firefox on Linux/s)
    assert.match(other.body, /name="confirmDevice" value="true"/)

    const form = await s.auth.app.inject({
      method: 'POST',
      url: '/api/v1/auth/magic-link/verify/form',
      payload: `token=${tok}`,
      headers: { 'content-type': 'application/x-www-form-urlencoded', cookie }
    })
    assert.equal(form.statusCode, 303, form.body)
    const location = new URL(String(form.headers.location))
    assert.equal(`${location.origin}${location.pathname}`, APP)
    assert.equal(location.searchParams.get('state'), 'abc')
    const code = location.searchParams.get('code')!
    assert.match(code, /^[A-Za-z0-9_-]{43}$/)
    assert.equal(location.searchParams.get('token'), null)

    const exchanged = await h.verify({ code })
    assert.equal(exchanged.statusCode, 200, exchanged.body)
    assert.equal((await h.validate(exchanged.json().accessToken)).sub, user.id)
    const replayed = await h.verify({ code })
    assert.equal(replayed.statusCode, 400)
    assert.equal(replayed.json().code, 'magic_link_invalid')
    assert.equal(replayed.json().errors[0].path, '/body/code')
    // The link itself is spent too.
    assert.equal((await h.page(tok, cookie)).statusCode, 400)
  })

  it('hosted page from another browser needs the explicit confirmation', async () => {
    const user = await h.register()
    await h.ask(user.email, { redirectTo: APP })
    const tok = await h.token(user.email)
    const post = (body: string) => s.auth.app.inject({ method: 'POST', url: '/api/v1/auth/magic-link/verify/form', payload: body, headers: { 'content-type': 'application/x-www-form-urlencoded' } })
    const unconfirmed = await post(`token=${tok}`)
    assert.equal(unconfirmed.statusCode, 409)
    assert.match(unconfirmed.body, /Yes, sign in on this device/)
    const confirmed = await post(`token=${tok}&confirmDevice=true`)
    assert.equal(confirmed.statusCode, 303)
    assert.ok(new URL(String(confirmed.headers.location)).searchParams.get('code'))
  })

  it('refuses the hosted form posted from another site (login CSRF) and leaves the link unspent', async () => {
    const user = await h.register()
    await h.ask(user.email, { redirectTo: APP })
    const tok = await h.token(user.email)
    const post = (headers: Record<string, string>) => s.auth.app.inject({
      method: 'POST', url: '/api/v1/auth/magic-link/verify/form', payload: `token=${tok}&confirmDevice=true`, headers: { 'content-type': 'application/x-www-form-urlencoded', ...headers }
    })
    const crossSite: Array<Record<string, string>> = [{ 'sec-fetch-site': 'cross-site' }, { 'sec-fetch-site': 'same-site' }, { origin: 'https://evil.example' }, { origin: 'null' }]
    for (const headers of crossSite) {
      const refused = await post(headers)
      assert.equal(refused.statusCode, 403, JSON.stringify(headers))
      assert.match(refused.body, /sent from another site/)
      assert.equal(refused.headers.location, undefined)
    }
    const sameOrigin = await post({ 'sec-fetch-site': 'same-origin' })
    assert.equal(sameOrigin.statusCode, 303, sameOrigin.body)
    assert.ok(new URL(String(sameOrigin.headers.location)).searchParams.get('code'))
  })

  it('refuses unknown and expired links with a problem naming the reason, audited, and no session', async (t) => {
    const unknown = await h.verify({ token: 'A'.repeat(43) })
    assert.equal(unknown.statusCode, 400)
    assert.equal(unknown.json().code, 'magic_link_invalid')
    await waitFor(() => h.failures('magic_link_invalid').length > 0)

    const user = await h.register()
    const cookie = h.cookieOf(await h.ask(user.email))
    const tok = await h.token(user.email)
    const realNow = s.auth.ctx.now
    t.after(() => { s.auth.ctx.now = realNow })
    s.auth.ctx.now = () => new Date(Date.now() + 901_000)
    const expired = await h.verify({ token: tok }, cookie)
    assert.equal(expired.statusCode, 410)
    assert.equal(expired.json().code, 'magic_link_expired')
    assert.equal((await h.page(tok, cookie)).statusCode, 400)
    await waitFor(() => h.failures('magic_link_expired').length > 0)
    assert.equal(s.events.some(e => e.type === 'auth.login_succeeded' && e.subject === user.id), false)
  })

  it('checks input: the email and redirectTo are named, both token and code is refused', async () => {
    const bad = await h.ask('not an email')
    assert.equal(bad.statusCode, 400)
    assert.equal(bad.json().errors[0].path, '/body/email')
    for (const redirectTo of ['https://evil.example/', 'https://app.example.com.evil.example/', 'javascript:alert(1)']) {
      const res = await h.ask(uniqueEmail(), { redirectTo })
      assert.equal(res.statusCode, 400, redirectTo)
      assert.equal(res.json().code, 'validation_failed')
      assert.equal(res.json().errors[0].path, '/body/redirectTo')
    }
    const both = await h.verify({ token: 'A'.repeat(43), code: 'A'.repeat(43) })
    assert.equal(both.statusCode, 400)
    const neither = await h.verify({})
    assert.equal(neither.statusCode, 400)
  })

  it('asks for the second step when two-step login is on, as after a password', async () => {
    const user = await h.register()
    // Verified: an account whose email was not is taken over by the link, its two-step login removed (below).
    await s.user.ctx.db.query('update users set email_verified = true where id = $1', [user.id])
    await h.totpOn(user.id)
    const cookie = h.cookieOf(await h.ask(user.email))
    const res = await h.verify({ token: await h.token(user.email) }, cookie)
    assert.equal(res.statusCode, 200, res.body)
    assert.equal(res.json().mfaRequired, true)
    assert.equal(res.json().channel, 'totp')
    assert.equal(res.json().accessToken, undefined)
  })

  it('takes over an account whose email was never verified: the registrant\'s password and sessions end, the new session works', async () => {
    // Account pre-hijacking: someone registered the address with a password of their own and signed in.
    const user = await h.register()
    const before = await h.login(user.email)
    assert.equal(before.statusCode, 200, before.body)
    const old = before.json()
    assert.equal((await h.validate(old.accessToken)).valid, true)
    const sid = JSON.parse(Buffer.from(old.accessToken.split('.')[1], 'base64url').toString()).sid

    // The address's owner signs in by link: the account is theirs now.
    const cookie = h.cookieOf(await h.ask(user.email))
    const res = await h.verify({ token: await h.token(user.email) }, cookie)
    assert.equal(res.statusCode, 200, res.body)
    const fresh = res.json()

    const login = await h.login(user.email)
    assert.equal(login.statusCode, 401)
    assert.equal(login.json().code, 'invalid_credentials')
    const refused = await h.refresh(old.refreshToken)
    assert.equal(refused.statusCode, 401, refused.body)
    assert.equal((await h.validate(old.accessToken)).valid, false)

    assert.equal((await h.validate(fresh.accessToken)).sub, user.id)
    const renewed = await h.refresh(fresh.refreshToken)
    assert.equal(renewed.statusCode, 200, renewed.body)
    assert.equal((await h.validate(renewed.json().accessToken)).valid, true)

    // The trail: the claim, and the sessions it ended.
    const verified = await waitFor(() => s.events.find(e => e.type === 'user.email_verified' && e.subject === user.id))
    assert.equal((verified.data as { claimed?: boolean }).claimed, true)
    const ended = await waitFor(() => s.events.find(e => e.type === 'auth.logged_out' && e.subject === user.id))
    assert.deepEqual(ended.data, { userId: user.id, sessionIds: [sid], scope: 'all', reason: 'email_claimed' })
  })

  it('removes the two-step login and passkeys the unverified registrant set up: the link signs in without their second step', async () => {
    const user = await h.register()
    await h.totpOn(user.id)
    await s.auth.ctx.db.query(`insert into passkeys (id, user_id, credential_id, public_key, device_type, name, created_at)
      values ($1, $2, $3, 'key', 'singleDevice', 'attacker key', now())`, [randomUUID(), user.id, randomBytes(16).toString('base64url')])
    const cookie = h.cookieOf(await h.ask(user.email))
    const res = await h.verify({ token: await h.token(user.email) }, cookie)
    assert.equal(res.statusCode, 200, res.body)
    assert.equal(res.json().mfaRequired, undefined)
    assert.equal((await h.validate(res.json().accessToken)).sub, user.id)
    const { rows: factors } = await s.auth.ctx.db.query('select 1 from mfa_factors where user_id = $1', [user.id])
    assert.equal(factors.length, 0)
    const { rows: passkeys } = await s.auth.ctx.db.query('select 1 from passkeys where user_id = $1', [user.id])
    assert.equal(passkeys.length, 0)
    await waitFor(() => s.events.find(e => e.type === 'auth.mfa_disabled' && e.subject === user.id))
    await waitFor(() => s.events.find(e => e.type === 'auth.passkey_removed' && e.subject === user.id))
  })

  it('leaves an account whose email was already verified as it is: its password and sessions keep working', async () => {
    const user = await h.register()
    await s.user.ctx.db.query('update users set email_verified = true where id = $1', [user.id])
    const old = (await h.login(user.email)).json()
    const cookie = h.cookieOf(await h.ask(user.email))
    const res = await h.verify({ token: await h.token(user.email) }, cookie)
    assert.equal(res.statusCode, 200, res.body)
    assert.equal((await h.login(user.email)).statusCode, 200)
    assert.equal((await h.validate(old.accessToken)).valid, true)
    assert.equal((await h.refresh(old.refreshToken)).statusCode, 200)
  })

  it('mails a disabled account nothing, and refuses its link with 403 account_disabled', async () => {
    const user = await h.register()
    const cookie = h.cookieOf(await h.ask(user.email))
    const tok = await h.token(user.email)
    await s.user.ctx.db.query('update users set disabled_at = now() where id = $1', [user.id])
    const res = await h.verify({ token: tok }, cookie)
    assert.equal(res.statusCode, 403)
    assert.equal(res.json().code, 'account_disabled')
    await h.ask(user.email)
    const other = await h.register()
    await h.ask(other.email)
    await h.token(other.email)
    // The disabled account's request was queued before the other one's and has been handled: still one mail.
    assert.equal((await h.mails(user.email)).length, 1)
  })

  it('mails one address at most AUTH_MAGIC_LINK_MAX_PER_HOUR links an hour, answering 202 all the same', async () => {
    const user = await h.register()
    for (let i = 0; i < 6; i++) assert.equal((await h.ask(user.email)).statusCode, 202)
    await h.token(user.email, 5)
    const other = await h.register()
    await h.ask(other.email)
    await h.token(other.email)
    assert.equal((await h.mails(user.email)).length, 5)
  })
})

describe('magic links with AUTH_MAGIC_LINK_SIGNUP', () => {
  const s = useMagicLinkStack({ AUTH_MAGIC_LINK_SIGNUP: 'true' })
  const h = helpers(s)

  it('creates the account, verified and without a password, when a new address uses its link', async () => {
    const email = uniqueEmail('new')
    const cookie = h.cookieOf(await h.ask(email))
    const tok = await h.token(email)
    const requested = await waitFor(() => s.events.find(e => e.type === 'auth.magic_link_requested' && (e.data as { signup: boolean }).signup))
    assert.deepEqual(requested.data, { userId: null, signup: true })
    const res = await h.verify({ token: tok }, cookie)
    assert.equal(res.statusCode, 200, res.body)
    const { sub } = await h.validate(res.json().accessToken)
    const registered = await waitFor(() => s.events.find(e => e.type === 'user.registered' && e.subject === sub))
    assert.equal((registered.data as { emailVerified?: boolean }).emailVerified, true)
    const account = (await s.user.app.inject({ method: 'GET', url: `/api/v1/users/${sub}`, headers: callerHeadersFor(sub) })).json()
    assert.equal(account.email, email)
    assert.equal(account.emailVerified, true)
    // The welcome does not announce a verification message: none comes.
    const welcome = await waitFor(async () => ((await s.notification.app.inject({ method: 'GET', url: `/dev/inbox?to=${encodeURIComponent(email)}` })).json().items as Array<{ subject: string, text: string }>)
      .find(m => /welcome/i.test(m.subject)))
    assert.doesNotMatch(welcome.text, /confirm your email/)
    // A second link from the same browser (its nonce kept) signs in to the same account.
    const again = await h.ask(email, { cookie })
    assert.equal(again.statusCode, 202)
    assert.equal(h.cookieOf(again), cookie)
    const second = await h.verify({ token: await h.token(email, 2) }, cookie)
    assert.equal(second.statusCode, 200, second.body)
    assert.equal((await h.validate(second.json().accessToken)).sub, sub)
  })
})
