import { after, describe, it } from 'node:test'
import assert from 'node:assert/strict'
import type { Page } from 'playwright-core'
import { ACCOUNT_SID, AUTH_TOKEN, FROM, startTwilioServer } from '../../services/notification/test/twilio-server.ts'
import { ADMIN, PASSWORD, uniqueEmail, useConsoleJourney } from './harness.ts'

/**
 * Admin operations: the health view (all ready, then a service stopped) and
 * the deliveries (the welcome mail sent; an SMS given up on while the SMS
 * provider is down, retried from the page once it is back).
 */
let twilioDown = true
const twilio = await startTwilioServer({ down: () => twilioDown })
after(async () => { await twilio.close() })

const PHONE = `+1415555${String(Date.now() % 10_000).padStart(4, '0')}`
const PROBLEM_503 = JSON.stringify({ type: 'about:blank', title: 'Service unavailable', status: 503, code: 'unavailable', requestId: 'req-test-1' })

describe('admin: deliveries and health', () => {
  const journey = useConsoleJourney('admin-ops', {
    NOTIFY_TWILIO_BASE_URL: twilio.url,
    NOTIFY_TWILIO_ACCOUNT_SID: ACCOUNT_SID,
    NOTIFY_TWILIO_AUTH_TOKEN: AUTH_TOKEN,
    NOTIFY_TWILIO_FROM: FROM,
    // One attempt: a send the provider refuses is a dead letter at once.
    NOTIFY_MAX_ATTEMPTS: '1',
    // A readiness check slower than the default 3 s on a loaded machine would show a service down
    // (the stopped one below is refused at once, not timed out).
    GATEWAY_ADMIN_HEALTH_TIMEOUT_MS: '20000'
  })
  const email = uniqueEmail('ops')

  /** A page signed in as the admin: the tokens from the login API, where the console keeps them. */
  async function adminPage (options: { viewport?: { width: number, height: number }, locale?: string } = {}): Promise<Page> {
    const login = await journey.platform.json('POST', '/api/v1/auth/login', ADMIN)
    assert.equal(login.status, 200, JSON.stringify(login.body))
    const page = await journey.newPage(options)
    page.on('pageerror', err => { console.error('page error:', err.message) })
    await page.goto(`${journey.origin}/auth/login`)
    await page.evaluate(tokens => { globalThis.localStorage.setItem('gatehouse.tokens', JSON.stringify(tokens)) },
      { accessToken: login.body.accessToken, refreshToken: login.body.refreshToken })
    return page
  }

  /** Presses Refresh until the row for `text` shows `status` (the worker sends in the background). */
  async function waitForRow (page: Page, text: string, status: string) {
    const row = page.getByRole('row').filter({ hasText: text }).filter({ hasText: status })
    for (let tries = 0; tries < 60; tries++) {
      if (await row.count() > 0) return row.first()
      await page.getByRole('button', { name: 'Refresh' }).click()
      await page.getByRole('table').or(page.getByText(/No deliveries|No dead letters/)).waitFor()
      await page.waitForTimeout(250)
    }
    throw new Error(`no row with ${text} and ${status}`)
  }

  /** Refreshes the health view until every service is ready (a readiness check can be slow on a loaded machine). */
  async function waitAllReady (page: Page, words = { ready: 'All 9 services are ready.', refresh: 'Refresh' }) {
    const ready = page.getByText(words.ready)
    for (let tries = 0; tries < 10; tries++) {
      await page.locator('.service-card').first().or(page.getByRole('alert')).waitFor()
      if (await ready.count() > 0) return
      await page.getByRole('button', { name: words.refresh, exact: true }).click()
      await page.waitForSelector('[aria-busy="true"]', { state: 'detached' })
    }
    await ready.waitFor()
  }

  it('shows every service ready with its numbers', async () => {
    const register = await journey.platform.json('POST', '/api/v1/users/register', { email, password: PASSWORD, name: 'Ops Person' })
    assert.equal(register.status, 201)
    const page = await adminPage()
    await page.goto(`${journey.origin}/admin/health`)
    await waitAllReady(page)
    await page.getByRole('heading', { name: 'Notifications' }).waitFor()
    const notification = page.locator('[data-service="notification"]')
    assert.equal(await notification.getAttribute('data-status'), 'ok')
    await notification.getByText('Deliveries').waitFor()
    await journey.shot(page, 'health-ready')
    await journey.expectAccessible(page, '/admin/health')
  })

  it('lists the welcome mail, and retries an SMS given up on once the provider is back', async () => {
    const signup = await journey.platform.json('POST', '/api/v1/auth/phone/signup', { phone: PHONE })
    assert.equal(signup.status, 202, JSON.stringify(signup.body))
    const page = await adminPage()
    await page.goto(`${journey.origin}/admin/deliveries`)
    await waitForRow(page, email, 'welcome')
    await page.getByRole('row').filter({ hasText: email }).filter({ hasText: 'welcome' }).getByText('Sent', { exact: true }).waitFor()
    await journey.shot(page, 'deliveries')
    await journey.expectAccessible(page, '/admin/deliveries')

    await page.getByRole('link', { name: 'Dead letters' }).click()
    await page.waitForURL(/status=dead/)
    const dead = await waitForRow(page, PHONE, 'Dead')
    await dead.getByText(/twilio 503/).waitFor()
    await journey.shot(page, 'dead-letters')
    await journey.expectAccessible(page, '/admin/deliveries?status=dead')

    twilioDown = false
    await dead.getByRole('button', { name: new RegExp(`Retry the otp_code message to \\${PHONE}`) }).click()
    await page.getByText(`Queued again: the otp_code message to ${PHONE} is sent in a moment.`).waitFor()
    await page.getByRole('row').filter({ hasText: PHONE }).getByText('Queued').waitFor()
    await journey.shot(page, 'retried')
    await journey.expectAccessible(page, 'after a retry')

    await page.getByRole('link', { name: 'All', exact: true }).click()
    await waitForRow(page, PHONE, 'Sent')
    assert.ok(twilio.to(PHONE).some(r => /^\d{6} is your Gatehouse /.test(r.form.Body ?? '')), 'Twilio got the code')
  })

  it('filters by channel and user, and says so when nothing matches', async () => {
    const page = await adminPage()
    await page.goto(`${journey.origin}/admin/deliveries`)
    await page.getByLabel('Channel').selectOption('sms')
    await page.getByRole('button', { name: 'Apply' }).click()
    await page.waitForURL(/channel=sms/)
    await waitForRow(page, PHONE, 'Sent')
    assert.equal(await page.getByRole('row').filter({ hasText: email }).count(), 0, 'no email among the SMS')
    await page.getByLabel('User ID').fill('00000000-0000-7000-8000-000000000000')
    await page.getByRole('button', { name: 'Apply' }).click()
    await page.getByText('No deliveries match these filters.').waitFor()
    await journey.shot(page, 'deliveries-empty')
    await journey.expectAccessible(page, 'deliveries, nothing matches')
  })

  it('shows what failed when the API fails, with a way to try again', async () => {
    const page = await adminPage()
    await page.route('**/api/v1/admin/health', route => route.fulfill({ status: 503, contentType: 'application/problem+json', headers: { 'retry-after': '5' }, body: PROBLEM_503 }))
    await page.route('**/api/v1/notifications?**', route => route.fulfill({ status: 503, contentType: 'application/problem+json', body: PROBLEM_503 }))
    await page.goto(`${journey.origin}/admin/health`)
    await page.getByRole('alert').getByText('This could not be loaded.').waitFor()
    await journey.shot(page, 'health-error')
    await journey.expectAccessible(page, '/admin/health failing')
    await page.unroute('**/api/v1/admin/health')
    await page.getByRole('button', { name: 'Try again' }).click()
    await page.locator('[data-service="order"]').waitFor()

    await page.getByRole('link', { name: 'Deliveries', exact: true }).click()
    await page.getByRole('alert').getByText('This could not be loaded.').waitFor()
    await journey.expectAccessible(page, '/admin/deliveries failing')
    await page.unroute('**/api/v1/notifications?**')
    await page.getByRole('button', { name: 'Try again' }).click()
    await page.getByRole('table').waitFor()
  })

  it('fits a phone screen, in German too', async () => {
    const page = await adminPage({ viewport: { width: 390, height: 844 } })
    await page.goto(`${journey.origin}/admin/deliveries`)
    await page.getByRole('table').waitFor()
    await journey.shot(page, 'deliveries-phone')
    await journey.expectAccessible(page, '/admin/deliveries on a phone')
    const german = await adminPage({ viewport: { width: 390, height: 844 }, locale: 'de-DE' })
    await german.goto(`${journey.origin}/admin/health`)
    await waitAllReady(german, { ready: 'Alle 9 Dienste sind bereit.', refresh: 'Aktualisieren' })
    await german.getByRole('heading', { name: 'Benachrichtigungen' }).waitFor()
    await journey.shot(german, 'health-phone-de')
    await journey.expectAccessible(german, '/admin/health on a phone, in German')
  })

  it('shows a stopped service as down while the rest is ready', async () => {
    const page = await adminPage()
    await page.goto(`${journey.origin}/admin/health`)
    await waitAllReady(page)
    await journey.platform.platform.services.get('order')!.close()
    await page.getByRole('button', { name: 'Refresh', exact: true }).click()
    const order = page.locator('[data-service="order"][data-status="down"]')
    await order.getByText('Not reachable (no connection)').waitFor()
    await page.getByText(/services need attention: .*Orders \(Down\)/).waitFor()
    assert.equal(await page.locator('.service-card').count(), 9, 'every other service is still shown')
    await journey.shot(page, 'health-order-down')
    await journey.expectAccessible(page, '/admin/health with a service down')
  })
})
