import { describe, it } from 'node:test'
import assert from 'node:assert/strict'
import { uniquePhone } from '@app/kit/testing'
import { PASSWORD, uniqueEmail, useConsoleJourney } from './harness.ts'
import { codeIn, expectDescribedBy, linkIn, signInOnPage } from './self-service.ts'

const NEW_PASSWORD = 'staple gun kangaroo meadow'

describe('forgot and reset password in the browser', () => {
  const journey = useConsoleJourney('forgot', { GATEWAY_RATE_LIMITS: 'group.sensitive=1000/min burst 1000' })
  const login = (body: object) => journey.platform.json('POST', '/api/v1/auth/login', body)

  it('resets a password through the mailed link; the old password is refused, the new one signs in', async () => {
    const email = uniqueEmail('forgot')
    assert.equal((await journey.platform.json('POST', '/api/v1/users/register', { email, password: PASSWORD })).status, 201)
    const page = await journey.newPage()
    await page.goto(`${journey.origin}/auth/login`)
    await page.getByRole('link', { name: /forgot/i }).click()
    await page.waitForURL(/\/auth\/forgot/)
    await page.getByRole('heading', { level: 1, name: 'Forgot your password?' }).waitFor()
    await journey.shot(page, 'forgot')
    await journey.expectAccessible(page, '/auth/forgot')

    await page.getByLabel('Email address').fill('not-an-address')
    await page.getByRole('button', { name: 'Send', exact: true }).click()
    await expectDescribedBy(page.getByLabel('Email address'), /like name@example.com/)
    await journey.shot(page, 'forgot-invalid')
    await journey.expectAccessible(page, '/auth/forgot, invalid address')

    // The same answer for an address without an account.
    const nobody = uniqueEmail('nobody')
    await page.getByLabel('Email address').fill(nobody)
    await page.getByRole('button', { name: 'Send', exact: true }).click()
    await page.getByRole('heading', { level: 1, name: 'Check your inbox' }).waitFor()
    await page.getByRole('link', { name: /dev inbox/ }).waitFor()
    const unknownAnswer = (await page.locator('main').innerText()).replace(nobody, '<address>')
    await page.getByRole('button', { name: 'Use a different address' }).click()
    await page.getByLabel('Email address').fill(email)
    await page.getByRole('button', { name: 'Send', exact: true }).click()
    await page.getByRole('heading', { level: 1, name: 'Check your inbox' }).waitFor()
    await page.getByRole('link', { name: /dev inbox/ }).waitFor()
    assert.equal((await page.locator('main').innerText()).replace(email, '<address>'), unknownAnswer)
    await journey.shot(page, 'forgot-sent')
    await journey.expectAccessible(page, '/auth/forgot, sent')

    const link = linkIn(await journey.mailTo(email, m => /Reset your/.test(m.subject ?? '')), journey, '/auth/reset')
    await page.goto(link)
    await page.getByRole('heading', { level: 1, name: 'Choose a new password' }).waitFor()
    assert.doesNotMatch(page.url(), /token=/, 'the token leaves the address bar')
    await journey.shot(page, 'reset')
    await journey.expectAccessible(page, '/auth/reset with a link')

    await page.getByLabel('New password').fill('qwerty123')
    await page.getByRole('button', { name: 'Set new password' }).click()
    await page.getByText('This is one of the 10,000 most common passwords').waitFor()
    await expectDescribedBy(page.getByLabel('New password'), /most common passwords/)
    await journey.shot(page, 'reset-common-password')
    await journey.expectAccessible(page, '/auth/reset, refused password')

    // A reload keeps the link's token (in the history entry, not the address).
    await page.reload()
    await page.getByLabel('New password').fill(NEW_PASSWORD)
    await page.getByRole('button', { name: 'Set new password' }).click()
    await page.waitForURL(/\/auth\/login\?reset=1/)
    await journey.shot(page, 'reset-done-login')
    await journey.expectAccessible(page, '/auth/login after a reset')

    assert.equal((await login({ email, password: PASSWORD })).body.code, 'invalid_credentials', 'the old password is refused')
    await signInOnPage(page, email, PASSWORD)
    await page.getByText('is not right').waitFor()
    await signInOnPage(page, email, NEW_PASSWORD)
    await page.waitForURL(/\/account/)
    await page.getByRole('heading', { level: 1 }).waitFor()

    // The link worked once.
    const used = await journey.newPage()
    await used.goto(link)
    await used.getByLabel('New password').fill('another fine passphrase')
    await used.getByRole('button', { name: 'Set new password' }).click()
    await used.getByRole('heading', { level: 1, name: 'This link no longer works' }).waitFor()
    await used.getByRole('link', { name: 'Ask for a new link' }).waitFor()
    await journey.shot(used, 'reset-used-link')
    await journey.expectAccessible(used, '/auth/reset, link used')
  })

  it('returns to the app that sent the person, with the outcome, when the mailed link opens in a new tab', async () => {
    const email = uniqueEmail('return')
    assert.equal((await journey.platform.json('POST', '/api/v1/users/register', { email, password: PASSWORD })).status, 201)
    const page = await journey.newPage()
    await page.goto(`${journey.origin}/auth/forgot?redirectTo=${encodeURIComponent('/auth/login?app=demo')}`)
    await page.getByLabel('Email address').fill(email)
    await page.getByRole('button', { name: 'Send', exact: true }).click()
    await page.getByRole('heading', { level: 1, name: 'Check your inbox' }).waitFor()

    const tab = await page.context().newPage()
    await tab.goto(linkIn(await journey.mailTo(email, m => /Reset your/.test(m.subject ?? '')), journey, '/auth/reset'))
    await tab.waitForURL(url => url.searchParams.get('redirectTo') === '/auth/login?app=demo' && !url.searchParams.has('token'))
    await tab.getByLabel('New password').fill(NEW_PASSWORD)
    await tab.getByRole('button', { name: 'Set new password' }).click()
    await tab.waitForURL(url => url.pathname === '/auth/login' && url.searchParams.get('app') === 'demo' && url.searchParams.get('outcome') === 'password_reset')
  })

  it('resets by phone with a texted code: a wrong code is said beside the field', async () => {
    const phone = uniquePhone()
    assert.equal((await journey.platform.json('POST', '/api/v1/users/register', { phone, password: PASSWORD })).status, 201)
    const page = await journey.newPage({ viewport: { width: 390, height: 844 } })
    await page.goto(`${journey.origin}/auth/forgot`)
    await page.getByRole('radio', { name: 'Phone' }).check()
    await page.getByLabel('Phone number').fill(phone)
    await page.getByRole('radio', { name: 'A 6-digit code' }).check()
    await page.getByRole('button', { name: 'Send', exact: true }).click()
    await page.getByRole('heading', { level: 1, name: 'Check your phone' }).waitFor()
    await journey.shot(page, 'forgot-phone-sent')
    await page.getByRole('link', { name: 'Enter the code' }).click()
    await page.waitForURL(/\/auth\/reset/)
    assert.equal(await page.getByLabel('Phone number').inputValue(), phone, 'the number comes along')

    const code = codeIn(await journey.mailTo(phone, m => /\b\d{6}\b/.test(m.text)))
    await page.getByLabel('Code').fill(String((Number(code) + 1) % 1_000_000).padStart(6, '0'))
    await page.getByLabel('New password').fill(NEW_PASSWORD)
    await page.getByRole('button', { name: 'Set new password' }).click()
    await page.getByText('This is not the code we sent.').waitFor()
    await expectDescribedBy(page.getByLabel('Code'), /not the code we sent/)
    await journey.shot(page, 'reset-wrong-code')
    await journey.expectAccessible(page, '/auth/reset, wrong code')

    await page.getByLabel('Code').fill(code)
    await page.getByRole('button', { name: 'Set new password' }).click()
    await page.waitForURL(/\/auth\/login\?reset=1/)
    assert.equal((await login({ phone, password: NEW_PASSWORD })).status, 200)
    assert.equal((await login({ phone, password: PASSWORD })).status, 401)
  })
})
