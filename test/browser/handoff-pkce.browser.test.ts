import { createHash, randomBytes } from 'node:crypto'
import { describe, it } from 'node:test'
import assert from 'node:assert/strict'
import type { Page } from 'playwright-core'
import { uniquePhone } from '@app/kit/testing'
import { PASSWORD, uniqueEmail, useConsoleJourney } from './harness.ts'
import { codeIn, linkIn, signInOnPage } from './self-service.ts'

// An app on another origin that the allow-list admits; the browser never reaches it (the route answers here).
const APP = 'http://app.test/callback'

describe('login: the handoff to an app bound to its codeChallenge (PKCE S256)', () => {
  const journey = useConsoleJourney('handoff-pkce', { AUTH_REDIRECT_ALLOWLIST: APP, GATEWAY_RATE_LIMITS: 'group.sensitive=1000/min burst 1000' })

  /** The app's side of PKCE: a random verifier and its S256 challenge. */
  function appPkce () {
    const verifier = randomBytes(32).toString('base64url')
    return { verifier, challenge: createHash('sha256').update(verifier).digest('base64url') }
  }

  const loginAddress = (challenge: string, state = 's1') =>
    `${journey.origin}/auth/login?redirectTo=${encodeURIComponent(`${APP}?state=${state}`)}&codeChallenge=${challenge}`

  async function appPage (): Promise<Page> {
    const page = await journey.newPage()
    await page.route('http://app.test/**', route => route.fulfill({ contentType: 'text/html', body: '<!doctype html><title>App</title><h1>The app</h1>' }))
    return page
  }

  async function register (label: string): Promise<string> {
    const email = uniqueEmail(label)
    const registered = await journey.platform.json('POST', '/api/v1/users/register', { email, password: PASSWORD })
    assert.equal(registered.status, 201, JSON.stringify(registered.body))
    return email
  }

  /** The one-time code the app's callback receives (with the app's own `state` back beside it). */
  async function codeAtApp (page: Page, state = 's1'): Promise<string> {
    await page.waitForURL(/^http:\/\/app\.test\/callback\?/)
    const back = new URL(page.url())
    assert.equal(back.searchParams.get('state'), state)
    const code = back.searchParams.get('code')
    assert.ok(code)
    return code
  }

  /** A code bound to a challenge is refused without the verifier (and spent). */
  async function expectRefusedWithoutVerifier (code: string): Promise<void> {
    const bare = await journey.platform.json('POST', '/api/v1/auth/handoff/exchange', { code })
    assert.equal(bare.status, 400, `exchanged without the verifier (${bare.status} ${bare.body?.code ?? 'token pair'}): the code was not bound to the app's codeChallenge`)
    assert.equal(bare.body.code, 'handoff_code_invalid')
  }

  /** The person the code names, once the app's verifier has traded it for a session. */
  async function exchangeWithVerifier (code: string, verifier: string): Promise<{ email?: string, phone?: string }> {
    const exchanged = await journey.platform.json('POST', '/api/v1/auth/handoff/exchange', { code, codeVerifier: verifier })
    assert.equal(exchanged.status, 200, JSON.stringify(exchanged.body))
    const me = await journey.platform.json('GET', '/api/v1/users/me', undefined, { authorization: `Bearer ${exchanged.body.accessToken}` })
    assert.equal(me.status, 200, JSON.stringify(me.body))
    return me.body
  }

  it('passes the login address\'s codeChallenge on: the code works only with the app\'s verifier', async () => {
    const email = await register('pkce')
    const { verifier, challenge } = appPkce()
    const page = await appPage()
    await page.goto(loginAddress(challenge))
    await signInOnPage(page, email, PASSWORD)
    await expectRefusedWithoutVerifier(await codeAtApp(page))

    // Again, still signed in: "Continue" hands over a new code, which the verifier exchanges.
    await page.goto(`${journey.origin}/auth/login?redirectTo=${encodeURIComponent(APP)}&codeChallenge=${challenge}`)
    await page.getByRole('button', { name: 'Continue to app.test' }).click()
    await page.waitForURL(/^http:\/\/app\.test\/callback\?code=/)
    const second = new URL(page.url()).searchParams.get('code')!
    assert.equal((await exchangeWithVerifier(second, verifier)).email, email)
  })

  it('keeps the codeChallenge through a detour to sign-up: the code handed over there, and from its "Sign in" link, needs the verifier', async () => {
    const { verifier, challenge } = appPkce()
    const phone = uniquePhone()
    const page = await appPage()
    await page.goto(loginAddress(challenge))
    await page.getByRole('link', { name: 'New here? Create an account' }).click()
    await page.getByRole('heading', { level: 1, name: 'Create your account' }).waitFor()
    const signInLink = await page.getByRole('link', { name: 'Sign in', exact: true }).evaluate(a => (a as HTMLAnchorElement).href)

    // A phone sign-up signs the person in on the sign-up page, which hands the sign-in to the app.
    await page.getByRole('radio', { name: 'Phone' }).check()
    await page.getByLabel('Phone number').fill(phone)
    await page.getByRole('button', { name: 'Send code' }).click()
    await page.getByLabel('Code').fill(codeIn(await journey.mailTo(phone)))
    await page.getByRole('button', { name: 'Confirm and continue' }).click()
    await expectRefusedWithoutVerifier(await codeAtApp(page))

    // The sign-up page's way back to the login page keeps the challenge too.
    await page.goto(signInLink)
    await page.getByRole('button', { name: 'Continue to app.test' }).click()
    assert.equal((await exchangeWithVerifier(await codeAtApp(page), verifier)).phone, phone)
  })

  it('keeps the codeChallenge through forgot-password, its mailed link and the reset page, back to sign in', async () => {
    const email = await register('pkce-forgot')
    const { verifier, challenge } = appPkce()
    const page = await appPage()
    await page.goto(loginAddress(challenge))
    await page.getByRole('link', { name: 'Forgot your password?' }).click()
    await page.getByLabel('Email address').fill(email)
    await page.getByRole('button', { name: 'Send', exact: true }).click()
    await page.getByRole('heading', { level: 1, name: 'Check your inbox' }).waitFor()

    // The mailed link opens the reset page in this browser; the person remembers the password after all.
    await page.goto(linkIn(await journey.mailTo(email, m => /Reset your/.test(m.subject ?? '')), journey, '/auth/reset'))
    await page.getByRole('heading', { level: 1, name: 'Choose a new password' }).waitFor()
    await page.waitForURL(url => !url.searchParams.has('token'))
    await page.getByRole('link', { name: 'Back to sign in' }).click()
    await page.waitForURL(/\/auth\/login\?/)
    const loginAgain = page.url()
    await signInOnPage(page, email, PASSWORD)
    await expectRefusedWithoutVerifier(await codeAtApp(page))

    await page.goto(loginAgain)
    await page.getByRole('button', { name: 'Continue to app.test' }).click()
    assert.equal((await exchangeWithVerifier(await codeAtApp(page), verifier)).email, email)
  })
})
