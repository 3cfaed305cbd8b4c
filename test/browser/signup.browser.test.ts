import { describe, it } from 'node:test'
import assert from 'node:assert/strict'
import { uniquePhone } from '@app/kit/testing'
import { PASSWORD, uniqueEmail, useConsoleJourney } from './harness.ts'
import { codeIn, expectDescribedBy, linkIn, signInOnPage } from './self-service.ts'

const bearer = (token: string) => ({ authorization: `Bearer ${token}` })

describe('sign-up and email verification in the browser', () => {
  const journey = useConsoleJourney('signup', { GATEWAY_RATE_LIMITS: 'group.sensitive=1000/min burst 1000' })

  /** emailVerified as the API says it, through a session of the API's own. */
  async function emailVerified (email: string): Promise<boolean> {
    const login = await journey.platform.json('POST', '/api/v1/auth/login', { email, password: PASSWORD })
    assert.equal(login.status, 200, JSON.stringify(login.body))
    return (await journey.platform.json('GET', '/api/v1/users/me', undefined, bearer(login.body.accessToken))).body.emailVerified
  }

  it('signs up with an email, confirms it through the mailed link (only the button spends it), and signs in', async () => {
    const page = await journey.newPage()
    const email = uniqueEmail('signup')
    await page.goto(`${journey.origin}/auth/signup`)
    await page.getByRole('heading', { level: 1, name: 'Create your account' }).waitFor()
    await journey.shot(page, 'signup')
    await journey.expectAccessible(page, '/auth/signup')

    // Checked before sending: nothing filled in.
    await page.getByRole('button', { name: 'Create account' }).click()
    await expectDescribedBy(page.getByLabel('Email address'), /Required/)
    await expectDescribedBy(page.getByLabel('Password', { exact: true }), /Required/)
    await journey.shot(page, 'signup-required')
    await journey.expectAccessible(page, '/auth/signup with the form\'s own errors')

    // The API refuses a common password: said beside the password field, the form above says to look.
    await page.getByLabel('Name').fill('Grace Hopper')
    await page.getByLabel('Email address').fill(email)
    await page.getByLabel('Password', { exact: true }).fill('password1')
    await page.getByRole('button', { name: 'Create account' }).click()
    await page.getByText('This is one of the 10,000 most common passwords').waitFor()
    await expectDescribedBy(page.getByLabel('Password', { exact: true }), /10,000 most common passwords/)
    assert.equal(await page.getByLabel('Password', { exact: true }).getAttribute('aria-invalid'), 'true')
    assert.match(await page.getByRole('alert').innerText(), /correct the marked fields/)
    await journey.shot(page, 'signup-common-password')
    await journey.expectAccessible(page, '/auth/signup with the API\'s refusal')

    await page.getByLabel('Password', { exact: true }).fill(PASSWORD)
    await page.getByRole('button', { name: 'Create account' }).click()
    await page.getByRole('heading', { level: 1, name: 'Check your inbox' }).waitFor()
    assert.match(await page.locator('main').innerText(), new RegExp(email.replace(/[.+]/g, '\\$&')))
    await page.getByRole('link', { name: /dev inbox/ }).waitFor()
    await journey.shot(page, 'signup-check-inbox')
    await journey.expectAccessible(page, '/auth/signup, sent')

    // The mail links to the hosted page; opening it (as a mail scanner would) spends nothing.
    const mail = await journey.mailTo(email, m => /Confirm your email/.test(m.subject ?? ''))
    const link = linkIn(mail, journey, '/auth/verify-email')
    await page.goto(link)
    await page.getByRole('heading', { level: 1, name: 'Confirm your email address' }).waitFor()
    assert.doesNotMatch(page.url(), /token=/, 'the token leaves the address bar')
    assert.equal(await emailVerified(email), false, 'opening the link verified nothing')
    await journey.shot(page, 'verify-email')
    await journey.expectAccessible(page, '/auth/verify-email')

    await page.getByRole('button', { name: 'Confirm my email address' }).click()
    await page.getByRole('heading', { level: 1, name: 'Email address confirmed' }).waitFor()
    assert.match(await page.locator('main').innerText(), /is now confirmed/)
    assert.equal(await emailVerified(email), true)
    await journey.shot(page, 'verify-email-done')
    await journey.expectAccessible(page, '/auth/verify-email, confirmed')

    // The same link again: why it no longer works, and a way to a new one.
    const again = await journey.newPage()
    await again.goto(link)
    await again.getByRole('button', { name: 'Confirm my email address' }).click()
    await again.getByRole('heading', { level: 1, name: 'This link no longer works' }).waitFor()
    await again.getByLabel('Email address').fill(email)
    await again.getByRole('button', { name: 'Send a new link' }).click()
    await again.getByText('a new link is on its way').waitFor()
    await journey.shot(again, 'verify-email-used-link')
    await journey.expectAccessible(again, '/auth/verify-email, link used')

    await page.getByRole('link', { name: 'Sign in' }).click()
    await page.waitForURL(/\/auth\/login/)
    await signInOnPage(page, email, PASSWORD)
    await page.waitForURL(/\/account/)
    await page.getByRole('heading', { level: 1 }).waitFor()
  })

  it('returns to the app that sent the person, with the outcome, once the address is confirmed in a new tab', async () => {
    const page = await journey.newPage()
    const email = uniqueEmail('return')
    await page.goto(`${journey.origin}/auth/signup?redirectTo=${encodeURIComponent('/auth/login?app=demo')}`)
    await page.getByLabel('Email address').fill(email)
    await page.getByLabel('Password', { exact: true }).fill(PASSWORD)
    await page.getByRole('button', { name: 'Create account' }).click()
    await page.getByRole('heading', { level: 1, name: 'Check your inbox' }).waitFor()
    assert.equal(new URL(await page.getByRole('link', { name: 'Continue to sign in' }).evaluate(a => (a as HTMLAnchorElement).href)).searchParams.get('redirectTo'), '/auth/login?app=demo')

    const tab = await page.context().newPage()
    await tab.goto(linkIn(await journey.mailTo(email, m => /Confirm your email/.test(m.subject ?? '')), journey, '/auth/verify-email'))
    await tab.getByRole('button', { name: 'Confirm my email address' }).click()
    await tab.waitForURL(url => url.pathname === '/auth/login' && url.searchParams.get('app') === 'demo' && url.searchParams.get('outcome') === 'email_verified')
    assert.equal(await emailVerified(email), true)
  })

  it('says an email is taken beside the field, with the ways on', async () => {
    const email = uniqueEmail('taken')
    assert.equal((await journey.platform.json('POST', '/api/v1/users/register', { email, password: PASSWORD })).status, 201)
    const page = await journey.newPage()
    await page.goto(`${journey.origin}/auth/signup`)
    await page.getByLabel('Email address').fill(email)
    await page.getByLabel('Password', { exact: true }).fill(PASSWORD)
    await page.getByRole('button', { name: 'Create account' }).click()
    await page.getByRole('alert').getByRole('link', { name: 'Reset your password' }).waitFor()
    await expectDescribedBy(page.getByLabel('Email address'), /already exists/)
    await journey.shot(page, 'signup-taken')
    await journey.expectAccessible(page, '/auth/signup, email taken')
  })

  it('says so when the API cannot be reached or is unavailable, and keeps what was typed', async () => {
    const page = await journey.newPage()
    const email = uniqueEmail('offline')
    await page.route('**/api/v1/users/register', route => route.abort('connectionrefused'))
    await page.goto(`${journey.origin}/auth/signup`)
    await page.getByLabel('Email address').fill(email)
    await page.getByLabel('Password', { exact: true }).fill(PASSWORD)
    await page.getByRole('button', { name: 'Create account' }).click()
    await page.getByRole('alert').getByText('The server could not be reached').waitFor()
    assert.equal(await page.getByLabel('Email address').inputValue(), email)
    await journey.shot(page, 'signup-offline')
    await journey.expectAccessible(page, '/auth/signup, API unreachable')

    await page.unroute('**/api/v1/users/register')
    await page.route('**/api/v1/users/register', route => route.fulfill({
      status: 503,
      contentType: 'application/problem+json',
      body: JSON.stringify({ type: 'about:blank', title: 'Service unavailable', status: 503, code: 'unavailable' })
    }))
    await page.getByRole('button', { name: 'Create account' }).click()
    await page.getByRole('alert').getByText('The service is unavailable right now').waitFor()
    await page.unroute('**/api/v1/users/register')
    await page.getByRole('button', { name: 'Create account' }).click()
    await page.getByRole('heading', { level: 1, name: 'Check your inbox' }).waitFor()
  })

  it('signs up with a phone number and the texted code, and lands on the account page', async () => {
    const page = await journey.newPage({ viewport: { width: 390, height: 844 } })
    const phone = uniquePhone()
    await page.goto(`${journey.origin}/auth/signup`)
    await page.getByRole('radio', { name: 'Phone' }).check()
    await page.getByRole('button', { name: 'Send code' }).click()
    await expectDescribedBy(page.getByLabel('Phone number'), /Required/)
    await page.getByLabel('Phone number').fill('0151 1234')
    await page.getByRole('button', { name: 'Send code' }).click()
    await expectDescribedBy(page.getByLabel('Phone number'), /Enter the number with country code/)
    await page.getByLabel('Phone number').fill(phone)
    await page.getByRole('button', { name: 'Send code' }).click()
    await page.getByText(`We sent a 6-digit code to ${phone}`).waitFor()
    await journey.shot(page, 'signup-phone-code')
    await journey.expectAccessible(page, '/auth/signup, phone code')

    const code = codeIn(await journey.mailTo(phone))
    const wrong = String((Number(code) + 1) % 1_000_000).padStart(6, '0')
    await page.getByLabel('Code').fill(wrong)
    await page.getByRole('button', { name: 'Confirm and continue' }).click()
    await page.getByText('This is not the code we sent.').waitFor()
    assert.match(await page.getByRole('alert').innerText(), /tries left/)
    await journey.shot(page, 'signup-phone-wrong-code')
    await journey.expectAccessible(page, '/auth/signup, wrong code')

    await page.getByLabel('Code').fill(code)
    await page.getByRole('button', { name: 'Confirm and continue' }).click()
    await page.waitForURL(/\/account/)
    await page.getByRole('heading', { level: 1 }).waitFor()
    const tokens = JSON.parse(await page.evaluate(() => globalThis.localStorage.getItem('gatehouse.tokens') ?? '{}')) as { accessToken?: string }
    const me = await journey.platform.json('GET', '/api/v1/users/me', undefined, bearer(tokens.accessToken!))
    assert.equal(me.body.phone, phone)
    assert.equal(me.body.phoneVerified, true)
  })

  it('is in German for a German browser, and says so when the return address is not allowed', async () => {
    const page = await journey.newPage({ locale: 'de-DE' })
    await page.goto(`${journey.origin}/auth/signup?redirectTo=${encodeURIComponent('https://evil.example/after')}`)
    await page.getByRole('heading', { level: 1, name: 'Konto erstellen' }).waitFor()
    await page.getByText('https://evil.example/after').waitFor()
    await journey.shot(page, 'signup-de-refused-return')
    await journey.expectAccessible(page, '/auth/signup (de), return refused')
  })
})
