// A return address that only looks local does not take the browser off this origin, and a sign-in code that this
// browser did not ask for is not spent here (login CSRF).
import { describe, it } from 'node:test'
import assert from 'node:assert/strict'
import type { Page } from 'playwright-core'
import { PASSWORD, uniqueEmail, useConsoleJourney } from './harness.ts'
import { linkIn } from './self-service.ts'

const APP = 'http://app.test/callback'
const NEW_PASSWORD = 'staple gun kangaroo meadow'

describe('return addresses and sign-in codes the browser did not ask for', () => {
  const journey = useConsoleJourney('redirect-safety', { AUTH_REDIRECT_ALLOWLIST: APP, GATEWAY_RATE_LIMITS: 'group.sensitive=1000/min burst 1000' })
  const api = journey.platform

  async function register (tag: string): Promise<string> {
    const email = uniqueEmail(tag)
    assert.equal((await api.json('POST', '/api/v1/users/register', { email, password: PASSWORD })).status, 201)
    return email
  }

  /** Records every request for a host other than this origin's (answered with a page, never reaching a network). */
  async function watchOtherHosts (page: Page): Promise<string[]> {
    const elsewhere: string[] = []
    const ours = new URL(journey.origin).host
    await page.context().route(url => url.host !== ours, (route) => {
      elsewhere.push(route.request().url())
      return route.fulfill({ contentType: 'text/html', body: '<!doctype html><title>Elsewhere</title><h1>Elsewhere</h1>' })
    })
    return elsewhere
  }

  const usedMails = new Set<string>()
  /** A one-time magic-link code, made for the allowed app (as an attacker would get one for their own account). */
  async function magicLinkCode (email: string): Promise<string> {
    const asked = await fetch(`${api.url}/api/v1/auth/magic-link`, {
      method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ email, redirectTo: APP })
    })
    assert.equal(asked.status, 202)
    const cookie = asked.headers.getSetCookie()[0]!.split(';')[0]!
    // The mail of this request, not an earlier one (on the real servers a mail arrives a moment later).
    const mail = await journey.mailTo(email, m => /sign-in link/.test(m.subject ?? '') && !usedMails.has(m.id))
    usedMails.add(mail.id)
    const token = /token=([A-Za-z0-9_-]{43})/.exec(mail.text)![1]!
    const confirmed = await fetch(`${api.url}/api/v1/auth/magic-link/verify/form`, {
      method: 'POST', redirect: 'manual', headers: { 'content-type': 'application/x-www-form-urlencoded', cookie }, body: `token=${token}`
    })
    assert.equal(confirmed.status, 303)
    const code = new URL(confirmed.headers.get('location')!).searchParams.get('code')
    assert.ok(code)
    return code
  }

  /** The email of the account whose tokens this page keeps, as the API says. */
  const signedInAs = (page: Page) => page.evaluate(async () => {
    const tokens = JSON.parse(globalThis.localStorage.getItem('gatehouse.tokens') ?? '{}') as { accessToken?: string }
    const res = await fetch('/api/v1/users/me', { headers: { authorization: `Bearer ${tokens.accessToken ?? ''}` } })
    return (await res.json() as { email?: string }).email
  })

  const storedTokens = (page: Page) => page.evaluate(() => globalThis.localStorage.getItem('gatehouse.tokens'))

  it('a reset link with ?redirectTo=%2F%09%2Fevil.com ends on this origin', async () => {
    const email = await register('tabredirect')
    const page = await journey.newPage()
    const elsewhere = await watchOtherHosts(page)
    assert.equal((await api.json('POST', '/api/v1/password/forgot', { email, method: 'link' })).status, 202)
    const link = linkIn(await journey.mailTo(email, m => /Reset your/.test(m.subject ?? '')), journey, '/auth/reset')
    await page.goto(`${link}&redirectTo=%2F%09%2Fevil.com`)
    await page.getByRole('heading', { level: 1, name: 'Choose a new password' }).waitFor()
    await page.getByLabel('New password').fill(NEW_PASSWORD)
    await page.getByRole('button', { name: 'Set new password' }).click()
    await page.waitForURL(/\/auth\/login/)
    // The login page shown (not a fixed wait): the reset page has handed over, nothing navigates further.
    await page.getByRole('heading', { level: 1, name: 'Sign in' }).waitFor()
    assert.equal(new URL(page.url()).origin, journey.origin, page.url())
    assert.deepEqual(elsewhere, [])
    assert.equal((await api.json('POST', '/api/v1/auth/login', { email, password: NEW_PASSWORD })).status, 200)
  })

  it('a remembered return address is checked before it is kept: a crafted one is not applied to the next mailed link', async () => {
    const email = await register('planted')
    const page = await journey.newPage()
    const elsewhere = await watchOtherHosts(page)
    await page.goto(`${journey.origin}/auth/forgot?redirectTo=${encodeURIComponent('/\t/evil.com')}`)
    await page.getByLabel('Email address').fill(email)
    await page.getByRole('button', { name: 'Send', exact: true }).click()
    await page.getByRole('heading', { level: 1, name: 'Check your inbox' }).waitFor()
    assert.equal(await page.evaluate(() => globalThis.localStorage.getItem('gatehouse.return.reset')), null)
    const link = linkIn(await journey.mailTo(email, m => /Reset your/.test(m.subject ?? '')), journey, '/auth/reset')
    await page.goto(link)
    await page.getByLabel('New password').fill(NEW_PASSWORD)
    await page.getByRole('button', { name: 'Set new password' }).click()
    await page.waitForURL(/\/auth\/login/)
    assert.equal(new URL(page.url()).origin, journey.origin)
    assert.deepEqual(elsewhere, [])
  })

  it('does not spend a sign-in code whose nonce this browser did not keep', async () => {
    const email = await register('csrf')
    const page = await journey.newPage()
    // A code lives 60 s from its confirmation: the slow part (the first load, the screenshot, axe) comes
    // before it, on a code of no account (without the nonce the page sends no code anywhere).
    await page.goto(`${journey.origin}/auth/callback?method=magic-link&code=${'x'.repeat(43)}`)
    await page.getByRole('alert').filter({ hasText: 'not started in this browser' }).waitFor()
    await journey.shot(page, 'callback-not-started-here')
    await journey.expectAccessible(page, 'callback without the nonce')
    const code = await magicLinkCode(email)
    await page.goto(`${journey.origin}/auth/callback?method=magic-link&code=${code}`)
    await page.getByRole('alert').filter({ hasText: 'not started in this browser' }).waitFor()
    await page.goto(`${journey.origin}/auth/callback?method=magic-link&code=${code}&nonce=${'0'.repeat(32)}`)
    await page.getByRole('alert').filter({ hasText: 'not started in this browser' }).waitFor()
    assert.equal(await storedTokens(page), null, 'no session was stored')
    await page.getByRole('link', { name: 'Back to sign-in' }).waitFor()
    // The code is still unspent: the API exchanges it now.
    const exchanged = await api.json('POST', '/api/v1/auth/magic-link/verify', { code })
    assert.equal(exchanged.status, 200, JSON.stringify(exchanged.body))
  })

  it('signs in with a link opened on another device only after the person says it was them', async () => {
    const email = await register('other-device')
    const page = await journey.newPage()
    // The console loaded once before the code is made (it lives 60 s).
    await page.goto(`${journey.origin}/auth/login`)
    await page.getByRole('heading', { level: 1, name: 'Sign in' }).waitFor()
    const code = await magicLinkCode(email)
    await page.goto(`${journey.origin}/auth/callback?method=magic-link&code=${code}&nonce=${'1'.repeat(32)}`)
    await page.getByRole('alert').filter({ hasText: 'not started in this browser' }).waitFor()
    assert.equal(await storedTokens(page), null, 'nothing is spent before the answer')
    await page.getByRole('button', { name: 'It was me: sign in here' }).click()
    await page.waitForURL(/\/account/)
    assert.notEqual(await storedTokens(page), null)
  })

  it('spends a code that brings the nonce this browser kept, and asks before replacing another account', async () => {
    const first = await register('nonce-a')
    const second = await register('nonce-b')
    const page = await journey.newPage()
    const nonce = 'ab'.repeat(16)
    const keep = () => page.evaluate((value) => globalThis.localStorage.setItem('gatehouse.signin.nonce', JSON.stringify({ value, until: Date.now() + 600_000 })), nonce)
    await page.goto(`${journey.origin}/auth/login`)
    await keep()
    await page.goto(`${journey.origin}/auth/callback?method=magic-link&code=${await magicLinkCode(first)}&nonce=${nonce}`)
    await page.waitForURL(/\/account/)
    await page.getByRole('heading', { level: 1, name: 'Your account' }).waitFor()

    await keep()
    await page.goto(`${journey.origin}/auth/callback?method=magic-link&code=${await magicLinkCode(second)}&nonce=${nonce}`)
    await page.getByRole('heading', { name: 'Switch account?' }).waitFor()
    await page.getByText(`You are signed in as ${first}.`).waitFor()
    await journey.expectAccessible(page, 'callback, switch account?')
    const before = await storedTokens(page)
    await page.getByRole('button', { name: `Stay signed in as ${first}` }).click()
    await page.waitForURL(/\/account/)
    await page.getByRole('heading', { level: 1, name: 'Your account' }).waitFor()
    assert.equal(await storedTokens(page), before, 'the session was kept')
    assert.equal(await signedInAs(page), first)

    // Asked again, the person switches.
    await keep()
    await page.goto(`${journey.origin}/auth/callback?method=magic-link&code=${await magicLinkCode(second)}&nonce=${nonce}`)
    await page.getByRole('button', { name: 'Switch to the other account' }).click()
    await page.waitForURL(/\/account/)
    await page.getByRole('heading', { level: 1, name: 'Your account' }).waitFor()
    assert.equal(await signedInAs(page), second)
  })

  it('shows a fixed sentence and the error code, never error_description', async () => {
    const page = await journey.newPage()
    await page.goto(`${journey.origin}/auth/callback?method=oidc&error=oidc_signup_disabled&error_description=${encodeURIComponent('Your account is locked, call +1 555 0100')}`)
    await page.getByRole('alert').filter({ hasText: 'The sign-in was refused' }).waitFor()
    const text = await page.locator('main').innerText()
    assert.match(text, /oidc_signup_disabled/)
    assert.doesNotMatch(text, /555 0100|locked/)
    await page.goto(`${journey.origin}/auth/callback?method=oidc&error=${encodeURIComponent('Call us at 555 0100')}`)
    await page.getByRole('alert').filter({ hasText: 'unknown_error' }).waitFor()
    assert.doesNotMatch(await page.locator('main').innerText(), /555 0100/)
  })
})
