import { before, describe, it } from 'node:test'
import assert from 'node:assert/strict'
import { uniquePhone } from '@app/kit/testing'
import type { Page } from 'playwright-core'
import { PASSWORD, uniqueEmail, useConsoleJourney } from './harness.ts'

const NEW_PASSWORD = 'a brand new passphrase for the account'
const IPHONE = 'Mozilla/5.0 (iPhone; CPU iPhone OS 17_1 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.1 Mobile/15E148 Safari/604.1'

/** The page's globals this file uses (the repository compiles tests without the DOM types). */
interface PageGlobals {
  localStorage: { getItem (key: string): string | null, setItem (key: string, value: string): void }
  scrollTo (x: number, y: number): void
}

/**
 * Runs in the page: POSTs `body` to `path` (a login or a refresh, so the session is the browser's,
 * with its User-Agent) and keeps the answered pair where the console keeps its tokens.
 */
async function keepPairFrom ({ path, body }: { path: string, body: unknown }): Promise<number> {
  const res = await fetch(path, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) })
  const pair = await res.json() as { accessToken: string, refreshToken: string }
  const storage = (globalThis as unknown as PageGlobals).localStorage
  storage.setItem('gatehouse.tokens', JSON.stringify({ accessToken: pair.accessToken, refreshToken: pair.refreshToken }))
  return res.status
}

/** Waits for `check` to hold, doing `step` (a reload) between tries: a positive signal, never a fixed sleep. */
async function until (what: string, check: () => Promise<boolean>, step: () => Promise<unknown>, ms = 60_000) {
  const deadline = Date.now() + ms
  while (!await check()) {
    if (Date.now() > deadline) throw new Error(`${what}: not within ${ms} ms`)
    await step()
  }
}

describe('the account page', () => {
  // The journey polls the dev inbox and the history: the gateway's per-IP limit is not what it is about.
  const journey = useConsoleJourney('account', { GATEWAY_RATE_LIMITS: 'ip=20000/min burst 20000' })
  const email = uniqueEmail('account')
  const phone = uniquePhone()
  let page: Page
  const pageErrors: string[] = []

  const api = (method: string, path: string, body?: unknown, headers: Record<string, string> = {}) => journey.platform.json(method, path, body, headers)
  const tokens = async (): Promise<{ accessToken: string, refreshToken: string } | null> =>
    JSON.parse(await page.evaluate(() => (globalThis as unknown as PageGlobals).localStorage.getItem('gatehouse.tokens')) ?? 'null')
  const bearer = async () => ({ authorization: `Bearer ${(await tokens())!.accessToken}` })
  const me = async () => (await api('GET', '/api/v1/users/me', undefined, await bearer())).body
  /** A screenshot from the top (a full-page shot of a scrolled page draws the sticky header mid-page). */
  const snap = async (name: string) => {
    await page.evaluate(() => (globalThis as unknown as PageGlobals).scrollTo(0, 0))
    await journey.shot(page, name)
  }
  const codeIn = (text: string) => /\b(\d{6})\b/.exec(text)![1]!

  /**
   * As if the page had signed in an hour ago: the session's last proof of identity is moved back
   * and the page's pair refreshed, so its access token says so (a change of email now needs a new proof).
   */
  async function ageTheProof () {
    const db = journey.platform.platform.services.get('auth')!.ctx.db
    const { id } = await me()
    await db.query("update sessions set auth_time = auth_time - interval '1 hour' where user_id = $1", [id])
    const status = await page.evaluate(keepPairFrom, { path: '/api/v1/auth/refresh', body: { refreshToken: (await tokens())!.refreshToken } })
    assert.equal(status, 200)
  }

  before(async () => {
    assert.equal((await api('POST', '/api/v1/users/register', { email, password: PASSWORD, name: 'Ada' })).status, 201)
    // Order confirmations go only to a confirmed address.
    const link = await journey.mailTo(email, m => /confirm/i.test(m.subject ?? ''))
    const token = new URL(/https?:\/\/\S+/.exec(link.text)![0]).searchParams.get('token')
    assert.equal((await api('POST', '/api/v1/email-verification/verify', { token })).status, 200)
    // Signed in from the browser itself (its User-Agent names the session), the tokens where the console keeps them.
    page = await journey.newPage()
    page.on('pageerror', err => { pageErrors.push(err.message) })
    await page.goto(`${journey.origin}/auth/login`)
    const status = await page.evaluate(keepPairFrom, { path: '/api/v1/auth/login', body: { email, password: PASSWORD } })
    assert.equal(status, 200)
  })

  it('shows the profile and saves a new name', async () => {
    await page.goto(`${journey.origin}/account`)
    await page.waitForURL(/\/account\/profile$/)
    await page.getByRole('heading', { level: 2, name: 'Profile' }).waitFor()
    await page.getByLabel('Name', { exact: true }).fill('Ada Lovelace')
    await page.getByRole('button', { name: 'Save changes' }).click()
    await page.getByRole('status').filter({ hasText: 'Your profile is saved.' }).waitFor()
    assert.equal((await me()).name, 'Ada Lovelace')
    assert.equal(await page.getByLabel('Name', { exact: true }).inputValue(), 'Ada Lovelace')
    await snap('profile')
    await journey.expectAccessible(page, '/account/profile')
  })

  it('asks who it is before an email change, and keeps the old address until the new one is confirmed', async () => {
    const newEmail = uniqueEmail('moved')
    await ageTheProof()
    await page.getByLabel('Email', { exact: true }).fill(newEmail)
    await page.getByRole('button', { name: 'Save changes' }).click()
    const dialog = page.getByRole('dialog', { name: 'Confirm it’s you' })
    await dialog.waitFor()
    await dialog.getByLabel('Password', { exact: true }).fill('not my password at all')
    await dialog.getByRole('button', { name: 'Confirm' }).click()
    await dialog.getByText('That is not your password.').waitFor()
    assert.equal(await dialog.getByLabel('Password', { exact: true }).getAttribute('aria-invalid'), 'true')
    await snap('reauth-wrong-password')
    await journey.expectAccessible(page, 'the reauthentication dialog with a wrong password')
    await dialog.getByLabel('Password', { exact: true }).fill(PASSWORD)
    await dialog.getByRole('button', { name: 'Confirm' }).click()
    const pending = page.getByRole('region', { name: /New email address/ })
    await pending.getByText(newEmail).waitFor()
    assert.equal(await dialog.isVisible(), false)
    const user = await me()
    assert.equal(user.email, email)
    assert.equal(user.pendingEmail, newEmail)
    await journey.mailTo(newEmail)
    await snap('profile-email-pending')
    await journey.expectAccessible(page, '/account/profile with a pending email')

    await pending.getByRole('button', { name: 'Keep my current address' }).click()
    await page.getByRole('status').filter({ hasText: 'The change is withdrawn' }).waitFor()
    assert.equal(await pending.count(), 0)
    assert.equal((await me()).pendingEmail, null)
  })

  it('asks once for two changes refused at the same time, and makes both after the proof', async () => {
    // A pending address (the proof of the last test is recent), then both changes are refused for want of a new proof.
    assert.equal((await api('PATCH', '/api/v1/users/me', { email: uniqueEmail('twice') }, await bearer())).status, 200)
    await page.reload()
    const pending = page.getByRole('region', { name: /New email address/ })
    await pending.waitFor()
    let refused = 0
    let bothSent = () => {}
    const both = new Promise<void>(resolve => { bothSent = resolve })
    const isMe = (url: URL) => url.pathname === '/api/v1/users/me'
    await page.route(isMe, async route => {
      if (route.request().method() !== 'PATCH' || refused >= 2) return route.fallback()
      if (++refused === 2) bothSent()
      await both
      await route.fulfill({ status: 403, contentType: 'application/problem+json', body: JSON.stringify({ type: 'about:blank', title: 'Forbidden', status: 403, code: 'reauth_required' }) })
    })
    await page.getByLabel('Name', { exact: true }).fill('Ada King')
    await page.getByRole('button', { name: 'Save changes' }).click()
    await pending.getByRole('button', { name: 'Keep my current address' }).click()
    const dialog = page.getByRole('dialog', { name: 'Confirm it’s you' })
    await dialog.waitFor()
    await dialog.getByLabel('Password', { exact: true }).fill(PASSWORD)
    await dialog.getByRole('button', { name: 'Confirm' }).click()
    await dialog.waitFor({ state: 'hidden' })
    await until('both changes made', async () => { const user = await me(); return user.name === 'Ada King' && user.pendingEmail === null }, () => page.waitForTimeout(200))
    await page.getByRole('button', { name: 'Save changes' }).and(page.locator(':not([aria-busy])')).waitFor()
    // Done at the API is not yet shown on the page: the withdrawal's answer may still be on its way to it.
    await pending.waitFor({ state: 'detached' })
    await page.unroute(isMe)
  })

  it('adds a phone once the code sent to it is entered', async () => {
    await page.getByLabel('Phone', { exact: true }).fill('555 123')
    await page.getByRole('button', { name: 'Save changes' }).click()
    await page.getByText('Enter the number with country code').waitFor()
    await page.getByLabel('Phone', { exact: true }).fill(phone)
    await page.getByRole('button', { name: 'Save changes' }).click()
    // The password was proven a moment ago: no dialog this time.
    const pending = page.getByRole('region', { name: /New phone number/ })
    await pending.waitFor()
    const sms = await journey.mailTo(phone)
    await pending.getByLabel('Code from the text message').fill(codeIn(sms.text))
    await snap('profile-phone-pending')
    await journey.expectAccessible(page, '/account/profile with a pending phone')
    await pending.getByRole('button', { name: 'Confirm number' }).click()
    await page.getByRole('status').filter({ hasText: `Confirmed: ${phone} is now your phone number.` }).waitFor()
    assert.equal(await page.getByLabel('Phone', { exact: true }).inputValue(), phone)
    const user = await me()
    assert.equal(user.phone, phone)
    assert.equal(user.phoneVerified, true)
  })

  it('saves notification preferences per channel and per message type', async () => {
    await page.getByRole('link', { name: 'Notifications' }).click()
    await page.getByRole('heading', { level: 2, name: 'Notifications' }).waitFor()
    const sms = page.getByRole('checkbox', { name: 'Text messages (SMS)' })
    assert.equal(await sms.isEnabled(), true)
    await page.getByRole('checkbox', { name: 'Sign-in alerts by Email' }).check()
    await page.getByRole('checkbox', { name: 'Order confirmations by SMS' }).uncheck()
    await page.getByRole('checkbox', { name: 'Profile changes by SMS' }).uncheck()
    await page.getByRole('button', { name: 'Save preferences' }).click()
    await page.getByRole('status').filter({ hasText: 'Your preferences are saved.' }).waitFor()
    const saved = (await api('GET', '/api/v1/users/me/preferences', undefined, await bearer())).body
    assert.deepEqual(saved.channels, { email: true, sms: true })
    assert.deepEqual(saved.events['auth.login_succeeded'], ['email'])
    assert.deepEqual(saved.events['order.created'], ['email'])
    assert.deepEqual(saved.events['user.updated'], ['email'])
    await snap('preferences')
    await journey.expectAccessible(page, '/account/notifications')

    await page.getByRole('combobox', { name: /^Language/ }).selectOption('de')
    await page.getByRole('heading', { level: 2, name: 'Benachrichtigungen' }).waitFor()
    assert.equal(await page.getByRole('checkbox', { name: 'Anmeldehinweise per E-Mail' }).isChecked(), true)
    await snap('preferences-de')
    await journey.expectAccessible(page, '/account/notifications in German')
    await page.getByRole('combobox', { name: /^Sprache/ }).selectOption('en')
    await page.getByRole('heading', { level: 2, name: 'Notifications' }).waitFor()
  })

  it('shows the confirmation of an order placed through the API in the message history', async () => {
    const order = { items: [{ sku: 'TEA-1', quantity: 2, unitPrice: 500 }], currency: 'EUR' }
    assert.equal((await api('POST', '/api/v1/orders', order, await bearer())).status, 201)
    await page.getByRole('link', { name: 'Message history' }).click()
    await page.getByRole('heading', { level: 2, name: 'Message history' }).waitFor()
    const confirmation = page.getByRole('row', { name: /Order confirmation/ })
    await until('the order confirmation in the history', async () => (await confirmation.count()) > 0, async () => {
      await page.getByRole('button', { name: 'Refresh' }).click()
      await page.getByRole('table').or(page.getByText('We have not sent you any messages yet.')).waitFor()
    })
    // The preferences say email only for orders.
    for (const row of await confirmation.all()) assert.match(await row.innerText(), /Email/)
    await page.getByRole('row', { name: /Welcome/ }).waitFor()
    const text = await page.getByRole('table').innerText()
    assert.doesNotMatch(text, /\b\d{6}\b/, 'no code in the history')
    await snap('history')
    await journey.expectAccessible(page, '/account/history')

    await page.setViewportSize({ width: 390, height: 844 })
    await snap('history-phone')
    await page.getByRole('link', { name: 'Profile' }).click()
    await page.getByRole('heading', { level: 2, name: 'Profile' }).waitFor()
    await snap('profile-phone')
    await journey.expectAccessible(page, '/account/profile on a phone')
    await page.setViewportSize({ width: 1280, height: 860 })
  })

  it('says when the history cannot be loaded, and loads it again on "Try again"', async () => {
    await page.route('**/api/v1/notifications/me*', route => route.fulfill({
      status: 503,
      contentType: 'application/problem+json',
      body: JSON.stringify({ type: 'about:blank', title: 'Service Unavailable', status: 503, code: 'unavailable', requestId: 'test' })
    }))
    await page.getByRole('link', { name: 'Message history' }).click()
    const failed = page.getByRole('alert').filter({ hasText: 'This could not be loaded.' })
    await failed.waitFor()
    await snap('history-unavailable')
    await journey.expectAccessible(page, '/account/history when the API fails')
    await page.unroute('**/api/v1/notifications/me*')
    await failed.getByRole('button', { name: 'Try again' }).click()
    await page.getByRole('row', { name: /Order confirmation/ }).first().waitFor()
  })

  it('lists the sessions, marks this one, ends another, then all others; their refresh tokens fail', async () => {
    const phoneLogin = await api('POST', '/api/v1/auth/login', { email, password: PASSWORD }, { 'user-agent': IPHONE })
    const curlLogin = await api('POST', '/api/v1/auth/login', { email, password: PASSWORD }, { 'user-agent': 'curl/8.5.0' })
    assert.equal(phoneLogin.status, 200)
    assert.equal(curlLogin.status, 200)
    await page.getByRole('link', { name: 'Sessions' }).click()
    const list = page.getByRole('list', { name: 'Signed-in devices' })
    const phoneSession = list.getByRole('listitem', { name: 'Safari on iOS' })
    await phoneSession.waitFor()
    await list.getByRole('listitem').first().getByText('This device').waitFor()
    await list.getByRole('listitem').first().getByText('Chrome on Linux').waitFor()
    assert.equal(await list.getByRole('listitem').count(), 3)
    await snap('sessions')
    await journey.expectAccessible(page, '/account/sessions')

    await phoneSession.getByRole('button', { name: 'End session: Safari on iOS' }).click()
    await page.getByRole('status').filter({ hasText: 'The session is ended' }).waitFor()
    await phoneSession.waitFor({ state: 'detached' })
    assert.equal((await api('POST', '/api/v1/auth/refresh', { refreshToken: phoneLogin.body.refreshToken })).status, 401)

    await page.getByRole('button', { name: 'End all other sessions (1)' }).click()
    await page.getByText('You are signed in on this device only.').waitFor()
    assert.equal(await list.getByRole('listitem').count(), 1)
    assert.equal((await api('POST', '/api/v1/auth/refresh', { refreshToken: curlLogin.body.refreshToken })).status, 401)
    assert.equal((await api('GET', '/api/v1/users/me', undefined, await bearer())).status, 200)
  })

  it('changes the password after refusing a wrong current one; the other sessions end', async () => {
    const other = await api('POST', '/api/v1/auth/login', { email, password: PASSWORD })
    await page.getByRole('link', { name: 'Password' }).click()
    await page.getByRole('heading', { level: 2, name: 'Password' }).waitFor()
    await page.getByLabel('Current password').fill('not the password')
    await page.getByLabel('New password').fill(NEW_PASSWORD)
    await page.getByRole('button', { name: 'Change password' }).click()
    await page.getByText('That is not your current password.').waitFor()
    assert.equal(await page.getByLabel('Current password').getAttribute('aria-invalid'), 'true')
    await snap('password-wrong')
    await journey.expectAccessible(page, '/account/password with a wrong current password')

    // The API's refusal of a common password, beside the new one.
    await page.getByLabel('Current password').fill(PASSWORD)
    await page.getByLabel('New password').fill('password1')
    await page.getByRole('button', { name: 'Change password' }).click()
    await page.getByText('This is one of the 10,000 most common passwords.').waitFor()
    assert.equal(await page.getByLabel('New password').getAttribute('aria-invalid'), 'true')
    assert.equal(await page.getByLabel('Current password').getAttribute('aria-invalid'), null)

    await page.getByLabel('New password').fill(NEW_PASSWORD)
    await page.getByRole('button', { name: 'Change password' }).click()
    await page.getByRole('status').filter({ hasText: 'Your password is changed.' }).waitFor()
    assert.equal((await api('POST', '/api/v1/auth/refresh', { refreshToken: other.body.refreshToken })).status, 401)
    assert.equal((await api('POST', '/api/v1/auth/login', { email, password: PASSWORD })).status, 401)
    // This page's session stays.
    assert.equal((await api('GET', '/api/v1/users/me', undefined, await bearer())).status, 200)
    await snap('password-changed')
  })

  it('deletes the account after a proof and a confirmation, and lands signed out', async () => {
    const pageRefresh = (await tokens())!.refreshToken
    await page.getByRole('link', { name: 'Delete account' }).click()
    await page.getByRole('heading', { level: 2, name: 'Delete account' }).waitFor()
    await journey.expectAccessible(page, '/account/delete')
    await page.getByRole('button', { name: 'Delete my account…' }).click()
    await page.getByText('Required').waitFor()

    await page.getByLabel('Your password').fill(PASSWORD)
    await page.getByRole('button', { name: 'Delete my account…' }).click()
    const dialog = page.getByRole('dialog', { name: 'Delete your account for good?' })
    await dialog.getByRole('button', { name: 'Yes, delete my account' }).click()
    await page.getByText('That is not your password.').waitFor()
    await snap('delete-wrong-password')

    // Proven with a code by text message instead (the phone is verified).
    const before = new Set(((await api('GET', `/dev/inbox?to=${encodeURIComponent(phone)}`)).body.items as Array<{ id: string }>).map(m => m.id))
    await page.getByRole('button', { name: 'No password? Send me a code instead' }).click()
    const sms = await journey.mailTo(phone, m => !before.has(m.id))
    await page.getByLabel('Code', { exact: true }).fill(codeIn(sms.text))
    await page.getByRole('button', { name: 'Delete my account…' }).click()
    await dialog.waitFor()
    await snap('delete-confirm')
    await journey.expectAccessible(page, 'the delete confirmation')
    await dialog.getByRole('button', { name: 'Yes, delete my account' }).click()
    await page.waitForURL(/\/auth\/login\?deleted=1$/)
    await page.getByText('Your account has been deleted.').waitFor()
    assert.equal(await tokens(), null)
    const login = await api('POST', '/api/v1/auth/login', { email, password: NEW_PASSWORD })
    assert.equal(login.status, 401)
    assert.equal((await api('POST', '/api/v1/auth/refresh', { refreshToken: pageRefresh })).status, 401)
    await snap('deleted')
    assert.deepEqual(pageErrors, [], 'no script errors on the way')
  })
})
