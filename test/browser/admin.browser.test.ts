/**
 * The admin console's users, audit log and orders pages: the admin finds a
 * user who is signed in elsewhere, disables them (their page ends up at the
 * login page saying the session ended), enables them, ends one of their
 * sessions, reads their trail in the audit log and verifies the chain,
 * looks at their order, and deletes another user.
 */
import { describe, it } from 'node:test'
import assert from 'node:assert/strict'
import type { Page } from 'playwright-core'
import { ADMIN, PASSWORD, uniqueEmail, useConsoleJourney } from './harness.ts'

describe('admin console: users, audit log, orders', () => {
  // One client address plays the admin and several users, logging in through the API many times: the
  // per-address limits are raised for it (the sensitive group allows 20 logins a minute per address).
  const journey = useConsoleJourney('admin', { GATEWAY_RATE_LIMITS: 'ip=6000/min burst 6000; group.sensitive=600/min burst 600' })
  const api = () => journey.platform

  async function register (email: string, name: string): Promise<string> {
    const res = await api().json('POST', '/api/v1/users/register', { email, password: PASSWORD, name })
    assert.equal(res.status, 201, JSON.stringify(res.body))
    return res.body.id as string
  }
  async function login (email: string, password = PASSWORD) {
    const res = await api().json('POST', '/api/v1/auth/login', { email, password })
    return res
  }
  /** Signs a page in as the console does after a login: the token pair in localStorage. */
  async function signIn (page: Page, email: string, password = PASSWORD, path = '/account') {
    const res = await login(email, password)
    assert.equal(res.status, 200, JSON.stringify(res.body))
    // Any page of the origin will do for its localStorage: one without the console's own scripts running.
    await page.goto(`${journey.origin}/healthz`)
    await page.evaluate(tokens => { globalThis.localStorage.setItem('gatehouse.tokens', JSON.stringify(tokens)) }, { accessToken: res.body.accessToken, refreshToken: res.body.refreshToken })
    await page.goto(`${journey.origin}${path}`)
    return res.body as { accessToken: string, refreshToken: string }
  }
  /** Waits for a heading, saving a screenshot of what the page shows instead when it never comes. */
  async function heading (page: Page, text: string) {
    try {
      await page.getByRole('heading', { level: 2, name: text, exact: true }).waitFor()
    } catch (err) {
      await journey.shot(page, 'heading-missing')
      throw err
    }
  }
  /** Presses a button (Refresh, reload of the page) until `done` is visible; the audit log fills from events. */
  async function until (page: Page, done: () => Promise<boolean>, again: () => Promise<unknown>, what: string) {
    const deadline = Date.now() + 60_000
    for (;;) {
      if (await done()) return
      if (Date.now() > deadline) {
        await journey.shot(page, 'timed-out')
        throw new Error(`${what}: not seen within 60 s`)
      }
      await again()
      await page.waitForTimeout(500)
    }
  }

  const email = uniqueEmail('customer')
  const name = `Casey Customer ${Date.now().toString(36)}`
  let userId = ''

  it('finds a signed-in user, disables them (their page ends at the login page), and enables them again', async () => {
    userId = await register(email, name)
    const userPage = await journey.newPage()
    await signIn(userPage, email)
    await userPage.getByRole('heading', { level: 1, name: 'Your account' }).waitFor()

    // The admin signs in through the login page, which brings them back to the console.
    const admin = await journey.newPage()
    await admin.goto(`${journey.origin}/admin`)
    await admin.getByLabel('Email or phone number').fill(ADMIN.email)
    await admin.getByLabel('Password', { exact: true }).fill(ADMIN.password)
    await admin.getByRole('button', { name: 'Sign in', exact: true }).click()
    await admin.waitForURL(/\/admin\/users/, { waitUntil: 'commit' })
    await admin.getByRole('heading', { level: 2, name: 'Users' }).waitFor()
    await admin.getByRole('table').waitFor()
    await journey.shot(admin, 'users-list')
    await journey.expectAccessible(admin, '/admin/users')

    await admin.getByLabel('Search by email, phone or name').fill(email.split('@')[0]!)
    await admin.getByRole('button', { name: 'Search' }).click()
    await admin.getByRole('table', { name: /Users matching/ }).waitFor()
    const row = admin.getByRole('row').filter({ hasText: name })
    await row.getByRole('link', { name }).click()
    await admin.getByRole('heading', { level: 2, name }).waitFor()
    // The user's one session, from the other browser.
    const sessions = admin.getByRole('region', { name: 'Active sessions' })
    await sessions.getByRole('button', { name: /^End session \(signed in/ }).waitFor()
    assert.equal(await sessions.getByRole('button', { name: /^End session \(signed in/ }).count(), 1)
    await journey.shot(admin, 'user-detail')
    await journey.expectAccessible(admin, '/admin/users/:id')

    await admin.getByRole('button', { name: 'Disable user' }).click()
    const dialog = admin.getByRole('dialog', { name: `Disable ${name}?` })
    await dialog.waitFor()
    await journey.shot(admin, 'disable-dialog')
    await journey.expectAccessible(admin, 'the disable dialog')
    await dialog.getByRole('button', { name: 'Disable' }).click()
    await admin.getByText(`${name} is disabled and their sessions have ended.`).waitFor()
    await admin.getByText('Disabled: sign-in, token refresh and phone login are refused.').waitFor()
    await sessions.getByText('No active sessions.').waitFor()
    assert.equal((await login(email)).body.code, 'account_disabled')

    // The user's page: the gateway refuses the ended session's token within seconds; a navigation shows it.
    await until(userPage, async () => /\/auth\/login\?.*ended=1/.test(userPage.url()),
      () => userPage.goto(`${journey.origin}/account`), 'the disabled user\'s page at the login page')
    await userPage.getByText(/session has ended/i).waitFor()
    await journey.shot(userPage, 'user-session-ended')
    await journey.expectAccessible(userPage, 'the login page after the session ended')

    await admin.getByRole('button', { name: 'Enable user' }).click()
    await admin.getByText(`${name} can sign in again.`).waitFor()
    await admin.getByText('Active: this user can sign in.').waitFor()
    assert.equal((await login(email)).status, 200)
  })

  it('ends one of the user\'s sessions, and changes their roles', async () => {
    const kept = await login(email)
    const lost = await login(email)
    const admin = await journey.newPage()
    await signIn(admin, ADMIN.email, ADMIN.password, `/admin/users/${userId}`)
    const sessions = admin.getByRole('region', { name: 'Active sessions' })
    const end = sessions.getByRole('button', { name: /^End session \(signed in/ })
    await until(admin, async () => await end.count() === 3, () => sessions.getByRole('button', { name: 'Refresh' }).click(), 'three sessions')
    // Which row is which is not shown by id; end the newest (listed first: most recently used) and check by the API.
    await end.first().click()
    await sessions.getByText('The session has ended.', { exact: false }).waitFor()
    assert.equal(await end.count(), 2)
    const refreshes = await Promise.all([kept, lost].map(pair => api().json('POST', '/api/v1/auth/refresh', { refreshToken: pair.body.refreshToken })))
    assert.equal(refreshes.filter(r => r.status === 200).length, 1, 'one of the two sessions ended, the other lives')

    const roles = admin.getByRole('region', { name: 'Roles' })
    await roles.getByRole('checkbox', { name: 'Administrator' }).check()
    await roles.getByRole('button', { name: 'Save roles' }).click()
    await roles.getByText('Roles saved.').waitFor()
    assert.deepEqual((await api().json('GET', `/api/v1/users/${userId}`, undefined, { authorization: `Bearer ${(await login(ADMIN.email, ADMIN.password)).body.accessToken}` })).body.roles, ['user', 'admin'])
    await roles.getByRole('checkbox', { name: 'Administrator' }).uncheck()
    await roles.getByRole('button', { name: 'Save roles' }).click()
    await roles.getByText('Roles saved.').waitFor()
  })

  it('shows the user\'s trail in the audit log, filters it, and verifies the chain', async () => {
    const admin = await journey.newPage()
    await signIn(admin, ADMIN.email, ADMIN.password, `/admin/users/${userId}`)
    await admin.getByRole('link', { name: /See all of this user’s events in the audit log/ }).click()
    await admin.waitForURL(/\/admin\/audit\?userId=/, { waitUntil: 'commit' })
    assert.equal(await admin.getByLabel('User ID').inputValue(), userId)
    const disabledRow = admin.getByRole('row').filter({ has: admin.getByText('user.disabled', { exact: true }) })
    const enabled = admin.getByText('user.enabled', { exact: true })
    // The audit service stores events as they arrive from the bus: reload until both are in.
    await until(admin, async () => await disabledRow.count() === 1 && await enabled.count() > 0, () => admin.reload(), 'the user.disabled and user.enabled events')
    await disabledRow.getByRole('button', { name: /Details/ }).click()
    const details = admin.locator('tr.event-details')
    await details.getByText(/"by":/).waitFor()
    await journey.shot(admin, 'audit-user')
    await journey.expectAccessible(admin, '/admin/audit filtered by user')

    // Only the disable event; a malformed type is refused beside its field before anything is sent.
    await admin.getByLabel('Event type').fill('Not A Type!')
    await admin.getByRole('button', { name: 'Apply filters' }).click()
    await admin.getByText('Use an event type like auth.login_failed, or a prefix like auth.*').waitFor()
    assert.equal(await admin.getByLabel('Event type').getAttribute('aria-invalid'), 'true')
    await journey.expectAccessible(admin, '/admin/audit with a field error')
    await admin.getByLabel('Event type').fill('user.disabled')
    await admin.getByRole('button', { name: 'Apply filters' }).click()
    await admin.waitForURL(/type=user\.disabled/, { waitUntil: 'commit' })
    await admin.getByText('1 event shown').waitFor()

    await admin.getByRole('button', { name: 'Verify the chain' }).click()
    const intact = admin.getByText(/^Intact: \d+ events checked\.$/)
    await intact.waitFor()
    assert.ok(Number(/\d+/.exec(await intact.innerText())![0]) > 0)
    await journey.shot(admin, 'audit-verified')
    await journey.expectAccessible(admin, '/admin/audit verified')
  })

  it('lists every customer\'s orders and shows one', async () => {
    // Another customer's order first: the customer filter then has something to leave out.
    const otherToken = (await login(ADMIN.email, ADMIN.password)).body.accessToken as string
    const other = await api().json('POST', '/api/v1/orders', { currency: 'EUR', items: [{ sku: 'MUG-BLUE', quantity: 1, unitPrice: 1299 }] }, { authorization: `Bearer ${otherToken}` })
    assert.equal(other.status, 201, JSON.stringify(other.body))
    const token = (await login(email)).body.accessToken as string
    const placed = await api().json('POST', '/api/v1/orders', { currency: 'EUR', items: [{ sku: 'TEA-GREEN-100G', quantity: 2, unitPrice: 650 }, { sku: 'MUG-BLUE', quantity: 1, unitPrice: 1299 }] }, { authorization: `Bearer ${token}` })
    assert.equal(placed.status, 201, JSON.stringify(placed.body))
    const admin = await journey.newPage()
    await signIn(admin, ADMIN.email, ADMIN.password, '/admin/orders')
    const link = admin.getByRole('link', { name: `Order ${placed.body.id as string}` })
    await link.waitFor()
    await journey.shot(admin, 'orders-list')
    await journey.expectAccessible(admin, '/admin/orders')
    await link.click()
    await admin.getByRole('heading', { level: 2, name: /^Order …/ }).waitFor()
    await admin.getByText('TEA-GREEN-100G').waitFor()
    await admin.getByRole('row').filter({ hasText: 'Total' }).getByText('€25.99').waitFor()
    await journey.shot(admin, 'order-detail')
    await journey.expectAccessible(admin, '/admin/orders/:id')

    // One customer's orders, from the filter; a malformed id is refused beside the field.
    await admin.getByRole('link', { name: 'All orders' }).click()
    await admin.getByLabel('Customer’s user ID').fill('nobody')
    await admin.getByRole('button', { name: 'Show orders' }).click()
    await admin.getByText(/Enter a user ID like/).waitFor()
    await admin.getByLabel('Customer’s user ID').fill(userId)
    await admin.getByRole('button', { name: 'Show orders' }).click()
    // The unfiltered list stays until the filtered one is read: one order, the customer's, and not the other.
    await admin.waitForURL(new RegExp(`userId=${userId}`), { waitUntil: 'commit' })
    await admin.getByText('1 shown').waitFor()
    await admin.getByRole('link', { name: `Order ${placed.body.id as string}` }).waitFor()
    assert.equal(await admin.getByRole('link', { name: `Order ${other.body.id as string}` }).count(), 0, 'the other customer\'s order is left out')

    await admin.goto(`${journey.origin}/admin/orders/00000000-0000-7000-8000-000000000000`)
    await admin.getByText('There is no such order: check the link.').waitFor()
  })

  it('deletes a user after confirming, and shows load errors with a way to retry', async () => {
    const doomedEmail = uniqueEmail('doomed')
    const doomedName = `Dana Doomed ${Date.now().toString(36)}`
    const doomed = await register(doomedEmail, doomedName)
    const admin = await journey.newPage()
    await signIn(admin, ADMIN.email, ADMIN.password, `/admin/users/${doomed}`)
    await heading(admin, doomedName)
    await admin.getByRole('button', { name: 'Delete user…' }).click()
    const dialog = admin.getByRole('dialog', { name: `Delete ${doomedName} permanently?` })
    await dialog.getByRole('button', { name: 'Cancel' }).click()
    await dialog.waitFor({ state: 'hidden' })
    await admin.getByRole('button', { name: 'Delete user…' }).click()
    await dialog.getByRole('button', { name: 'Delete permanently' }).click()
    await admin.waitForURL(/\/admin\/users$/, { waitUntil: 'commit' })
    await admin.getByText(`${doomedName} was deleted.`).waitFor()
    assert.equal((await login(doomedEmail)).status, 401)

    // The deleted user's page now: the API's 404, said plainly.
    await admin.goto(`${journey.origin}/admin/users/${doomed}`)
    await admin.getByText('There is no such user: the account was deleted, or the link is wrong.').waitFor()
    await journey.shot(admin, 'user-not-found')
    await journey.expectAccessible(admin, '/admin/users/:id not found')

    // A failing API: what failed, and a way to try again (here the audit service refuses with 503 once).
    let refused = false
    await admin.route('**/api/v1/audit/events?*', async route => {
      if (refused) return route.continue()
      refused = true
      await route.fulfill({ status: 503, contentType: 'application/problem+json', body: JSON.stringify({ type: 'about:blank', title: 'Service Unavailable', status: 503, code: 'unavailable' }) })
    })
    await admin.goto(`${journey.origin}/admin/audit`)
    const failed = admin.getByRole('alert').filter({ hasText: 'This could not be loaded.' })
    await failed.waitFor()
    await journey.shot(admin, 'audit-load-error')
    await journey.expectAccessible(admin, '/admin/audit when the API fails')
    await failed.getByRole('button', { name: 'Try again' }).click()
    await admin.getByRole('table', { name: /Every event/ }).waitFor()
  })

  it('fits a phone, and speaks German', async () => {
    const phone = await journey.newPage({ viewport: { width: 390, height: 844 } })
    await signIn(phone, ADMIN.email, ADMIN.password, `/admin/users/${userId}`)
    await heading(phone, name)
    await phone.getByRole('region', { name: 'Active sessions' }).getByRole('table').waitFor()
    const overflow = await phone.evaluate(() => ({
      by: document.documentElement.scrollWidth - document.documentElement.clientWidth,
      // The innermost elements reaching past the screen, to say what to fix.
      culprits: [...document.querySelectorAll('body *')].filter(e => e.getBoundingClientRect().right > document.documentElement.clientWidth + 1 && ![...e.children].some(c => c.getBoundingClientRect().right > document.documentElement.clientWidth + 1))
        .slice(0, 5).map(e => `${e.tagName.toLowerCase()}.${e.className}`)
    }))
    assert.ok(overflow.by <= 0, `no sideways scrolling on a phone (${overflow.by}px: ${overflow.culprits.join(', ')})`)
    await journey.shot(phone, 'user-detail-phone')
    await journey.expectAccessible(phone, '/admin/users/:id on a phone')

    const german = await journey.newPage({ locale: 'de-DE' })
    await signIn(german, ADMIN.email, ADMIN.password, '/admin/audit')
    await german.getByRole('heading', { level: 2, name: 'Audit-Protokoll' }).waitFor()
    await german.getByRole('button', { name: 'Kette prüfen' }).click()
    await german.getByText(/^Intakt: \d+ Ereignisse geprüft\.$/).waitFor()
    // The newest 25, then the next page below them (the journeys so far made more than 25 events).
    await german.getByText('25 Ereignisse angezeigt').waitFor()
    await german.getByRole('button', { name: 'Mehr anzeigen' }).click()
    await german.getByText(/^(2[6-9]|[3-9]\d) Ereignisse angezeigt$/).waitFor()
    await journey.shot(german, 'audit-de')
    await journey.expectAccessible(german, '/admin/audit in German')
  })

  it('drops a "Show more" page that comes back after the filter changed', async () => {
    const admin = await journey.newPage()
    await signIn(admin, ADMIN.email, ADMIN.password, '/admin/audit')
    await admin.getByText('25 events shown').waitFor()
    // The next page of the unfiltered log is held until the filtered listing is shown.
    let release = () => {}
    const held = new Promise<void>(resolve => { release = resolve })
    let asked = () => {}
    const wasAsked = new Promise<void>(resolve => { asked = resolve })
    const isMore = (url: URL) => url.pathname === '/api/v1/audit/events' && url.searchParams.has('cursor')
    await admin.route(isMore, async route => { asked(); await held; await route.continue() })
    await admin.getByRole('button', { name: 'Show more' }).click()
    await wasAsked
    const filtered = admin.waitForResponse(r => /type=user\.disabled/.test(r.url()))
    await admin.getByLabel('Event type').fill('user.disabled')
    await admin.getByRole('button', { name: 'Apply filters' }).click()
    await filtered
    const count = admin.getByText(/^(1 event|\d+ events) shown$/)
    const before = await count.innerText()
    const answered = admin.waitForEvent('requestfinished', r => isMore(new URL(r.url())))
    release()
    await answered
    await admin.evaluate(() => new Promise(resolve => setTimeout(resolve, 200)))
    assert.equal(await count.innerText(), before, 'the old listing\'s next page is not appended to the filtered one')
  })
})
