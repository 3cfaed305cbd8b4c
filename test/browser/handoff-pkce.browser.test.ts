import { createHash, randomBytes } from 'node:crypto'
import { describe, it } from 'node:test'
import assert from 'node:assert/strict'
import { PASSWORD, uniqueEmail, useConsoleJourney } from './harness.ts'

// An app on another origin that the allow-list admits; the browser never reaches it (the route answers here).
const APP = 'http://app.test/callback'

describe('login: the handoff to an app bound to its codeChallenge (PKCE S256)', () => {
  const journey = useConsoleJourney('handoff-pkce', { AUTH_REDIRECT_ALLOWLIST: APP })

  it('passes the login address\'s codeChallenge on: the code works only with the app\'s verifier', async () => {
    const email = uniqueEmail('pkce')
    const registered = await journey.platform.json('POST', '/api/v1/users/register', { email, password: PASSWORD })
    assert.equal(registered.status, 201, JSON.stringify(registered.body))
    const verifier = randomBytes(32).toString('base64url')
    const challenge = createHash('sha256').update(verifier).digest('base64url')

    const page = await journey.newPage()
    await page.route('http://app.test/**', route => route.fulfill({ contentType: 'text/html', body: '<!doctype html><title>App</title><h1>The app</h1>' }))
    await page.goto(`${journey.origin}/auth/login?redirectTo=${encodeURIComponent(`${APP}?state=s1`)}&codeChallenge=${challenge}`)
    await page.getByLabel('Email or phone number').fill(email)
    await page.getByLabel('Password', { exact: true }).fill(PASSWORD)
    await page.getByRole('button', { name: 'Sign in', exact: true }).click()
    await page.waitForURL(/^http:\/\/app\.test\/callback\?/)
    const code = new URL(page.url()).searchParams.get('code')
    assert.ok(code)

    // Without the verifier the code is refused (and spent).
    const bare = await journey.platform.json('POST', '/api/v1/auth/handoff/exchange', { code })
    assert.equal(bare.status, 400, JSON.stringify(bare.body))
    assert.equal(bare.body.code, 'handoff_code_invalid')

    // Again, still signed in: "Continue" hands over a new code, which the verifier exchanges.
    await page.goto(`${journey.origin}/auth/login?redirectTo=${encodeURIComponent(APP)}&codeChallenge=${challenge}`)
    await page.getByRole('button', { name: 'Continue to app.test' }).click()
    await page.waitForURL(/^http:\/\/app\.test\/callback\?code=/)
    const second = new URL(page.url()).searchParams.get('code')
    const exchanged = await journey.platform.json('POST', '/api/v1/auth/handoff/exchange', { code: second, codeVerifier: verifier })
    assert.equal(exchanged.status, 200, JSON.stringify(exchanged.body))
    const me = await journey.platform.json('GET', '/api/v1/users/me', undefined, { authorization: `Bearer ${exchanged.body.accessToken}` })
    assert.equal(me.body.email, email)
  })
})
