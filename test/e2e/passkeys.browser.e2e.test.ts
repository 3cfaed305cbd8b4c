/**
 * Passkeys end to end in Debian's Chromium, with a virtual authenticator over
 * the DevTools protocol: register (bearer from a password login), log out,
 * sign in with the passkey alone, use the tokens. The page is on the
 * gateway's origin at http://localhost:<port> (Chrome refuses IP addresses as
 * RP ids). With RECORD_PASSKEY_FIXTURES=1 it also writes the responses the
 * unit tests replay (services/auth/test/fixtures/passkeys.json).
 */
import { describe, it, before, after } from 'node:test'
import assert from 'node:assert/strict'
import { existsSync, writeFileSync } from 'node:fs'
import { randomBytes } from 'node:crypto'
import { chromium } from 'playwright-core'
import type { Browser, Page } from 'playwright-core'
import { usePlatform } from './helper.ts'

const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium'
const PASSWORD = 'correct horse battery'
const FIXTURES = new URL('../../services/auth/test/fixtures/passkeys.json', import.meta.url)

/** The page's WebAuthn API, as far as the ceremonies use it (the tests compile without the DOM types). */
interface PageWebAuthn {
  PublicKeyCredential: { parseCreationOptionsFromJSON: (o: unknown) => unknown, parseRequestOptionsFromJSON: (o: unknown) => unknown }
  navigator: { credentials: { create: (o: { publicKey: unknown }) => Promise<{ toJSON: () => Record<string, unknown> }>, get: (o: { publicKey: unknown }) => Promise<{ toJSON: () => Record<string, unknown> }> } }
}

/** Runs in the page: one WebAuthn ceremony with options from the API, answered as JSON. */
async function ceremony (page: Page, kind: 'create' | 'get', options: unknown): Promise<Record<string, unknown>> {
  return page.evaluate(async ({ kind, options }) => {
    const { PublicKeyCredential: pkc, navigator } = globalThis as unknown as PageWebAuthn
    const credential = kind === 'create'
      ? await navigator.credentials.create({ publicKey: pkc.parseCreationOptionsFromJSON(options) })
      : await navigator.credentials.get({ publicKey: pkc.parseRequestOptionsFromJSON(options) })
    return credential.toJSON()
  }, { kind, options })
}

describe('passkeys in Chromium with a virtual authenticator', () => {
  const platform = usePlatform()
  let browser: Browser
  let page: Page
  let origin: string

  before(async () => {
    assert.ok(existsSync(CHROMIUM), `Chromium is missing at ${CHROMIUM}: install Debian's package (apt-get install chromium) or set CHROMIUM_PATH; bash .ci/run installs it`)
    browser = await chromium.launch({ executablePath: CHROMIUM, headless: true, args: ['--no-sandbox', '--disable-background-networking'] })
    page = await browser.newPage()
    origin = `http://localhost:${new URL(platform.url).port}`
    // A blank page of the gateway's origin (the API's own answers carry a CSP that forbids scripts): the ceremonies run in its context.
    await page.route(`${origin}/passkeys-test-page`, route => route.fulfill({ status: 200, contentType: 'text/html', body: '<!doctype html><title>passkeys</title>' }))
    await page.goto(`${origin}/passkeys-test-page`)
    const cdp = await page.context().newCDPSession(page)
    await cdp.send('WebAuthn.enable')
    await cdp.send('WebAuthn.addVirtualAuthenticator', {
      options: { protocol: 'ctap2', transport: 'internal', hasResidentKey: true, hasUserVerification: true, isUserVerified: true, automaticPresenceSimulation: true }
    })
  })
  after(async () => { await browser?.close() })

  /** The API from the page, as a browser app calls it. */
  const api = (method: string, path: string, body?: unknown, token?: string) => page.evaluate(async ({ method, url, body, token }) => {
    const res = await fetch(url, {
      method,
      headers: { ...(body === undefined ? {} : { 'content-type': 'application/json' }), ...(token ? { authorization: `Bearer ${token}` } : {}) },
      ...(body === undefined ? {} : { body: JSON.stringify(body) })
    })
    const text = await res.text()
    return { status: res.status, body: text ? JSON.parse(text) : undefined }
  }, { method, url: `${origin}${path}`, body, token })

  it('registers a passkey, logs out, and signs in with the passkey alone', async () => {
    const email = `passkey.${randomBytes(5).toString('hex')}@example.com`
    assert.equal((await platform.json('POST', '/api/v1/users/register', { email, password: PASSWORD })).status, 201)
    const login = await platform.json('POST', '/api/v1/auth/login', { email, password: PASSWORD })
    assert.equal(login.status, 200)
    const { accessToken, refreshToken } = login.body

    const creation = await api('POST', '/api/v1/auth/passkeys/register/options', undefined, accessToken)
    assert.equal(creation.status, 200, JSON.stringify(creation.body))
    assert.equal(creation.body.rp.id, 'localhost')
    const registration = await ceremony(page, 'create', creation.body)
    const added = await api('POST', '/api/v1/auth/passkeys/register', { ...registration, name: 'Virtual authenticator' }, accessToken)
    assert.equal(added.status, 201, JSON.stringify(added.body))
    assert.equal(added.body.name, 'Virtual authenticator')
    const listed = await api('GET', '/api/v1/auth/passkeys', undefined, accessToken)
    assert.deepEqual(listed.body.items.map((p: { id: string }) => p.id), [added.body.id])

    assert.equal((await platform.json('POST', '/api/v1/auth/logout', { refreshToken })).status, 204)
    assert.equal((await platform.json('POST', '/api/v1/auth/refresh', { refreshToken })).status, 401)

    const assertions: Array<{ challenge: string, response: Record<string, unknown> }> = []
    for (let i = 0; i < 3; i++) {
      const request = await api('POST', '/api/v1/auth/passkeys/login/options')
      assert.equal(request.status, 200, JSON.stringify(request.body))
      assert.equal(request.body.allowCredentials?.length ?? 0, 0, 'discoverable: no user named')
      const assertion = await ceremony(page, 'get', request.body)
      assertions.push({ challenge: request.body.challenge, response: assertion })
      const signedIn = await api('POST', '/api/v1/auth/passkeys/login', assertion)
      assert.equal(signedIn.status, 200, JSON.stringify(signedIn.body))
      assert.ok(signedIn.body.accessToken && signedIn.body.refreshToken)
      const me = await api('GET', '/api/v1/users/me', undefined, signedIn.body.accessToken)
      assert.equal(me.status, 200, JSON.stringify(me.body))
      assert.equal(me.body.email, email)
      // The same response again: its challenge is spent.
      const replay = await api('POST', '/api/v1/auth/passkeys/login', assertion)
      assert.equal(replay.status, 400)
      assert.equal(replay.body.code, 'passkey_rejected')
      assert.equal(replay.body.reason, 'challenge_invalid')
    }

    if (process.env.RECORD_PASSKEY_FIXTURES === '1') {
      writeFileSync(FIXTURES, `${JSON.stringify({
        recordedWith: 'test/e2e/passkeys.browser.e2e.test.ts (Chromium virtual authenticator: ctap2, internal, resident key, user verified)',
        rpId: 'localhost',
        origin,
        registration: { challenge: creation.body.challenge, response: registration },
        assertions
      }, null, 2)}\n`)
    }
  })
})
