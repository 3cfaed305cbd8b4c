import { describe, it } from 'node:test'
import assert from 'node:assert/strict'
import { generate } from 'otplib'
import type { Page } from 'playwright-core'
import { PASSWORD, uniqueEmail, useConsoleJourney } from './harness.ts'

// An app on another origin that the allow-list admits; the browser never reaches it (the route answers here).
const APP = 'http://app.test/callback'

describe('login: password, two-step login with an authenticator app, passkeys, return addresses', () => {
  const journey = useConsoleJourney('login', { AUTH_REDIRECT_ALLOWLIST: APP })

  async function register (label: string): Promise<string> {
    const email = uniqueEmail(label)
    const res = await journey.platform.json('POST', '/api/v1/users/register', { email, password: PASSWORD })
    assert.equal(res.status, 201, JSON.stringify(res.body))
    return email
  }

  async function signIn (page: Page, email: string) {
    await page.getByLabel('Email or phone number').fill(email)
    await page.getByLabel('Password', { exact: true }).fill(PASSWORD)
    await page.getByRole('button', { name: 'Sign in', exact: true }).click()
  }

  it('enrols an authenticator app, then signs in with the password and its code', async () => {
    const email = await register('totp')
    const page = await journey.newPage()
    await page.goto(`${journey.origin}/auth/login`)
    await page.getByRole('heading', { level: 1, name: 'Sign in' }).waitFor()
    await journey.shot(page, 'login')
    await journey.expectAccessible(page, 'login')

    // The form's own checks, beside the fields, before anything is sent.
    await page.getByRole('button', { name: 'Sign in', exact: true }).click()
    await page.getByText('Required').first().waitFor()
    await page.getByLabel('Email or phone number').fill('ada')
    await page.getByRole('button', { name: 'Sign in', exact: true }).click()
    await page.getByText('Enter an email address like name@example.com').waitFor()
    assert.equal(await page.getByLabel('Email or phone number').getAttribute('aria-invalid'), 'true')
    // A wrong password: said above the form, without telling whether the account exists.
    await page.getByLabel('Email or phone number').fill(email)
    await page.getByLabel('Password', { exact: true }).fill('not the password')
    await page.getByRole('button', { name: 'Sign in', exact: true }).click()
    await page.getByRole('alert').filter({ hasText: 'is not right' }).waitFor()
    await journey.shot(page, 'login-refused')
    await journey.expectAccessible(page, 'login refused')

    await signIn(page, email)
    await page.waitForURL(/\/account/)
    await page.goto(`${journey.origin}/account/security`)
    await page.getByRole('heading', { name: 'Two-step login', exact: true }).waitFor()
    await page.getByRole('heading', { name: 'Passkeys', exact: true }).waitFor()
    await journey.shot(page, 'security-off')
    await journey.expectAccessible(page, 'security section, two-step login off')

    await page.getByRole('radio', { name: /Authenticator app/ }).check()
    await page.getByRole('button', { name: 'Set up two-step login' }).click()
    const secret = await page.getByLabel('Setup key').inputValue()
    assert.match(secret, /^[A-Z2-7]+=*$/)
    await page.getByRole('img', { name: /QR code/ }).waitFor()
    await journey.shot(page, 'security-qr')
    await journey.expectAccessible(page, 'security section, authenticator set-up')

    // A wrong code is said beside the field.
    await page.getByLabel('Code', { exact: true }).fill('000000')
    await page.getByRole('button', { name: 'Turn on two-step login' }).click()
    await page.getByText('That code is not right').waitFor()
    assert.equal(await page.getByLabel('Code', { exact: true }).getAttribute('aria-invalid'), 'true')

    const enrolAt = Date.now()
    await page.getByLabel('Code', { exact: true }).fill(await generate({ secret, epoch: Math.floor(enrolAt / 1000) }))
    await page.getByRole('button', { name: 'Turn on two-step login' }).click()
    const codes = page.getByRole('list', { name: 'Recovery codes' }).getByRole('listitem')
    await codes.first().waitFor()
    assert.equal(await codes.count(), 10)
    const old = await codes.allTextContents()
    await journey.shot(page, 'security-recovery-codes')
    await journey.expectAccessible(page, 'security section, recovery codes')
    await page.getByRole('button', { name: 'I have saved them' }).click()
    await page.getByText('Two-step login is on.').waitFor()
    await page.getByRole('button', { name: 'New recovery codes' }).waitFor()
    await journey.shot(page, 'security-on')

    await page.getByRole('button', { name: 'Sign out' }).click()
    await page.waitForURL(/\/auth\/login/)
    await signIn(page, email)
    await page.getByRole('heading', { name: 'Two-step login' }).waitFor()
    await page.getByText('Open your authenticator app').waitFor()
    await journey.shot(page, 'challenge')
    await journey.expectAccessible(page, 'two-step challenge')

    await page.getByLabel('Code', { exact: true }).fill('123456')
    await page.getByRole('button', { name: 'Verify' }).click()
    await page.getByText('That code is not right').waitFor()
    assert.equal(await page.getByLabel('Code', { exact: true }).getAttribute('aria-invalid'), 'true')
    await journey.shot(page, 'challenge-wrong-code')
    await journey.expectAccessible(page, 'two-step challenge, wrong code')

    // The enrolment spent its step: the app's code now, or while still in that step the next one (within the
    // accepted drift), signs in. Reckoned now, not from the enrolment: on a slow machine the steps between take a minute.
    const enrolStep = Math.floor(enrolAt / 30_000)
    const at = Math.max(Math.floor(Date.now() / 1000), (enrolStep + 1) * 30)
    await page.getByLabel('Code', { exact: true }).fill(await generate({ secret, epoch: at }))
    await page.getByRole('button', { name: 'Verify' }).click()
    // Signed out from the security page, the login returns there.
    await page.waitForURL(/\/account\/security/)
    await page.getByRole('heading', { level: 1, name: 'Your account' }).waitFor()

    // New recovery codes replace the old, once confirmed (Cancel keeps them); one of them turns two-step login off.
    await page.getByRole('button', { name: 'New recovery codes' }).click()
    const replace = page.getByRole('dialog', { name: 'Replace your recovery codes?' })
    await replace.getByRole('button', { name: 'Cancel' }).click()
    await replace.waitFor({ state: 'hidden' })
    assert.equal(await codes.count(), 0)
    await page.getByRole('button', { name: 'New recovery codes' }).click()
    await replace.getByRole('button', { name: 'Replace codes' }).click()
    await codes.first().waitFor()
    const fresh = await codes.allTextContents()
    assert.equal(fresh.length, 10)
    assert.equal(fresh.filter(c => old.includes(c)).length, 0)
    await page.getByRole('button', { name: 'I have saved them' }).click()
    await page.getByRole('button', { name: 'Turn off…' }).click()
    await page.getByLabel('Code or recovery code').fill(fresh[0]!)
    await page.getByRole('button', { name: 'Turn off two-step login' }).click()
    await page.getByText('Two-step login is off.').waitFor()
    await page.getByRole('button', { name: 'Set up two-step login' }).waitFor()
    await page.getByRole('heading', { level: 1, name: 'Your account' }).waitFor()
  })

  it('refuses a return address outside the allow-list, plainly, and still signs in to the account', async () => {
    const email = await register('refused')
    const page = await journey.newPage()
    await page.goto(`${journey.origin}/auth/login?redirectTo=${encodeURIComponent('https://evil.example/steal')}`)
    await page.getByRole('alert').filter({ hasText: 'not on the list of allowed return addresses' }).waitFor()
    await journey.shot(page, 'login-redirect-refused')
    await journey.expectAccessible(page, 'login with a refused return address')
    await signIn(page, email)
    await page.waitForURL(/\/account\/profile/)
  })

  it('with the API failing, still shows the form and refuses a return address it cannot check', async () => {
    const page = await journey.newPage()
    await page.route('**/api/v1/auth/hosted-config', route => route.fulfill({ status: 503, contentType: 'application/problem+json', body: JSON.stringify({ type: 'about:blank', title: 'Service unavailable', status: 503, code: 'unavailable', detail: 'down', requestId: 'r1' }) }))
    await page.goto(`${journey.origin}/auth/login?redirectTo=${encodeURIComponent(APP)}`)
    await page.getByRole('alert').filter({ hasText: 'could not check the address' }).waitFor()
    await page.getByLabel('Email or phone number').waitFor()
    await journey.expectAccessible(page, 'login without the hosted configuration')
  })

  it('explains a sign-in that comes back refused or with a spent code, in English and German', async () => {
    const page = await journey.newPage()
    await page.goto(`${journey.origin}/auth/callback?method=oidc&error=oidc_signup_disabled&error_description=${encodeURIComponent('No account has this email')}`)
    await page.getByRole('alert').filter({ hasText: 'The sign-in was refused. Start it again, or choose another way to sign in. (Error code: oidc_signup_disabled)' }).waitFor()
    assert.ok(!page.url().includes('error='), 'the answer is taken out of the address')
    await journey.shot(page, 'callback-refused')
    await journey.expectAccessible(page, 'callback, refused')
    // A code this browser asked for (its nonce kept here) that the API no longer takes.
    await page.evaluate(() => globalThis.localStorage.setItem('gatehouse.signin.nonce', JSON.stringify({ value: 'cd'.repeat(16), until: Date.now() + 600_000 })))
    await page.goto(`${journey.origin}/auth/callback?method=magic-link&code=${'x'.repeat(43)}&nonce=${'cd'.repeat(16)}`)
    await page.getByRole('alert').filter({ hasText: /invalid, expired or already used/ }).waitFor()
    await page.getByRole('link', { name: 'Back to sign-in' }).click()
    await page.waitForURL(/\/auth\/login$/)

    const german = await journey.newPage({ locale: 'de-DE' })
    await german.goto(`${journey.origin}/auth/login?ended=1`)
    await german.getByRole('heading', { level: 1, name: 'Anmelden' }).waitFor()
    await german.getByText('Ihre Sitzung ist beendet').waitFor()
    await german.getByLabel('E-Mail-Adresse oder Telefonnummer').waitFor()
    await journey.shot(german, 'login-german-ended')
    await journey.expectAccessible(german, 'login in German, session ended')
  })

  it('hands the sign-in to an allowed app on another origin as a one-time code', async () => {
    const email = await register('handoff')
    const page = await journey.newPage()
    await page.route('http://app.test/**', route => route.fulfill({ contentType: 'text/html', body: '<!doctype html><title>App</title><h1>The app</h1>' }))
    await page.goto(`${journey.origin}/auth/login?redirectTo=${encodeURIComponent(`${APP}?state=s1`)}`)
    await page.getByText('After signing in you will continue to app.test.').waitFor()
    await signIn(page, email)
    await page.waitForURL(/^http:\/\/app\.test\/callback\?/)
    const back = new URL(page.url())
    assert.equal(back.searchParams.get('state'), 's1')
    const code = back.searchParams.get('code')
    assert.ok(code)
    assert.ok(!back.href.includes('accessToken') && !back.href.includes('eyJ'), 'no token in the address')

    const exchanged = await journey.platform.json('POST', '/api/v1/auth/handoff/exchange', { code })
    assert.equal(exchanged.status, 200, JSON.stringify(exchanged.body))
    const me = await journey.platform.json('GET', '/api/v1/users/me', undefined, { authorization: `Bearer ${exchanged.body.accessToken}` })
    assert.equal(me.body.email, email)
    const again = await journey.platform.json('POST', '/api/v1/auth/handoff/exchange', { code })
    assert.equal(again.body.code, 'handoff_code_invalid')

    // Signed in already: the page offers to continue as that person.
    await page.goto(`${journey.origin}/auth/login?redirectTo=${encodeURIComponent(APP)}`)
    await page.getByText(`You are signed in as ${email}.`).waitFor()
    await journey.shot(page, 'login-continue-as')
    await journey.expectAccessible(page, 'login, continue as')
    await page.getByRole('button', { name: 'Continue to app.test' }).click()
    await page.waitForURL(/^http:\/\/app\.test\/callback\?code=/)
  })

  /** On /account/security (signed in with the password) adds a passkey of a virtual authenticator, signs out, and signs in with it. */
  async function addPasskeyThenSignInWithIt (page: Page, email: string) {
    const cdp = await page.context().newCDPSession(page)
    await cdp.send('WebAuthn.enable')
    await cdp.send('WebAuthn.addVirtualAuthenticator', {
      options: { protocol: 'ctap2', transport: 'internal', hasResidentKey: true, hasUserVerification: true, isUserVerified: true, automaticPresenceSimulation: true }
    })
    await page.goto(`${journey.origin}/auth/login?redirectTo=/account/security`)
    await signIn(page, email)
    await page.waitForURL(/\/account\/security/)
    await page.getByLabel('Name for the new passkey').fill('Test laptop')
    await page.getByRole('button', { name: 'Add a passkey' }).click()
    await page.getByText('Passkey added.').waitFor()
    await page.getByText('Test laptop', { exact: true }).waitFor()

    await page.getByRole('button', { name: 'Sign out' }).click()
    await page.waitForURL(/\/auth\/login/)
    await page.getByRole('button', { name: 'Sign in with a passkey' }).click()
    await page.waitForURL(/\/account\/security/)
    await page.getByText('Last used').waitFor()
  }

  it('adds a passkey on the security page and signs in with it', async () => {
    const email = await register('passkey')
    const page = await journey.newPage()
    await addPasskeyThenSignInWithIt(page, email)

    await page.getByRole('button', { name: 'Rename Test laptop' }).click()
    await page.getByLabel('Rename Test laptop').fill('Work laptop')
    await page.getByRole('button', { name: 'Save' }).click()
    await page.getByText('Work laptop', { exact: true }).waitFor()
    await journey.shot(page, 'security-passkey')
    await journey.expectAccessible(page, 'security section with a passkey')

    await page.getByRole('button', { name: 'Remove Work laptop' }).click()
    await page.getByRole('dialog', { name: 'Remove this passkey?' }).getByRole('button', { name: 'Remove' }).click()
    await page.getByText('Passkey removed.').waitFor()
    await page.getByText('You have no passkeys yet.').waitFor()
  })

  it('adds a passkey and signs in with it in a browser without the WebAuthn JSON methods', async () => {
    const email = await register('passkey-older')
    const page = await journey.newPage()
    // As in Safari before 18.4 or Chrome before 129: no parse*OptionsFromJSON, no credential.toJSON().
    await page.addInitScript(() => {
      const credential = globalThis.PublicKeyCredential as unknown as Record<string, unknown> & { prototype: Record<string, unknown> }
      delete credential.parseCreationOptionsFromJSON
      delete credential.parseRequestOptionsFromJSON
      delete credential.prototype.toJSON
    })
    await page.goto(`${journey.origin}/auth/login`)
    const missing = await page.evaluate(() => [
      typeof PublicKeyCredential.parseCreationOptionsFromJSON,
      typeof PublicKeyCredential.parseRequestOptionsFromJSON,
      typeof PublicKeyCredential.prototype.toJSON
    ])
    assert.deepEqual(missing, ['undefined', 'undefined', 'undefined'])
    await addPasskeyThenSignInWithIt(page, email)
  })

  it('fits a phone screen', async () => {
    const page = await journey.newPage({ viewport: { width: 390, height: 844 } })
    await page.goto(`${journey.origin}/auth/login`)
    await page.getByRole('heading', { level: 1, name: 'Sign in' }).waitFor()
    const overflow = await page.evaluate(() => document.documentElement.scrollWidth > document.documentElement.clientWidth)
    assert.equal(overflow, false, 'no sideways scrolling')
    await journey.shot(page, 'login-phone')
    await page.getByRole('button', { name: 'Text me a code' }).click()
    await page.getByRole('heading', { name: 'Sign in with a code' }).waitFor()
    await journey.expectAccessible(page, 'login by phone code')
    await journey.shot(page, 'login-phone-code')
  })
})
