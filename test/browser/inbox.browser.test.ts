import { describe, it } from 'node:test'
import assert from 'node:assert/strict'
import type { Page } from 'playwright-core'
import { uniquePhone, waitFor } from '@app/kit/testing'
import { PASSWORD, uniqueEmail, useConsoleJourney } from './harness.ts'

describe('the dev inbox page', () => {
  const journey = useConsoleJourney('inbox', { GATEWAY_RATE_LIMITS: 'group.sensitive=1000/min burst 1000' })
  const email = uniqueEmail('inbox')
  const phone = uniquePhone()

  const register = async (address: string, name: string) => {
    const res = await journey.platform.json('POST', '/api/v1/users/register', { email: address, password: PASSWORD, name })
    assert.equal(res.status, 201, JSON.stringify(res.body))
  }

  /** Messages the page's list shows now. */
  const listed = (page: Page, name = 'Messages') => page.getByRole('list', { name }).getByRole('listitem')

  it('shows the platform\'s mails to a browser, readable, with the verification link as a link', async () => {
    await register(email, 'Ada')
    await journey.mailTo(email, m => /confirm/i.test(m.subject ?? ''))
    const page = await journey.newPage()
    const refused: string[] = []
    page.on('console', message => { if (/Content Security Policy|Refused to/i.test(message.text())) refused.push(message.text()) })
    const res = await page.goto(`${journey.origin}/dev/inbox`)
    assert.match(res?.headers()['content-type'] ?? '', /^text\/html/)
    await page.getByRole('heading', { level: 1, name: 'Dev inbox' }).waitFor()
    await page.getByRole('searchbox', { name: 'Recipient' }).fill(email)
    await page.getByRole('button', { name: 'Filter', exact: true }).click()
    await page.waitForURL(/to=/)
    // The unfiltered list stays on screen until the filtered one is read: wait for the filtered one.
    await waitFor(async () => await listed(page).count() === 2 && await listed(page).filter({ hasNotText: email }).count() === 0, 60_000, 100)
    await listed(page).filter({ hasText: /Confirm your email/ }).waitFor()
    await listed(page).filter({ hasText: /Welcome/ }).waitFor()
    await journey.shot(page, 'list')
    await journey.expectAccessible(page, '/dev/inbox (list)')

    await listed(page).filter({ hasText: /Confirm your email/ }).getByRole('link').click()
    const detail = page.getByRole('article')
    await detail.getByRole('heading', { level: 2, name: /Confirm your email/ }).waitFor()
    const open = detail.getByRole('link', { name: /^Open link 1/ })
    const href = await open.getAttribute('href')
    assert.match(href ?? '', /\/auth\/verify-email\?token=/, 'the verification link, clickable')
    await detail.getByRole('button', { name: 'Copy link 1' }).waitFor()

    // The HTML part, in a sandbox that runs no script, its inline styles applied under the page's policy.
    const frame = detail.locator('iframe')
    assert.equal(await frame.getAttribute('sandbox'), 'allow-same-origin allow-popups allow-popups-to-escape-sandbox')
    const mail = frame.contentFrame()
    await mail.getByRole('link', { name: 'Confirm my email' }).waitFor()
    const background = await mail.locator('body').evaluate(body => (globalThis as unknown as { getComputedStyle: (e: unknown) => { backgroundColor: string } }).getComputedStyle(body).backgroundColor)
    assert.equal(background, 'rgb(244, 244, 245)', 'the mail\'s own inline style (background #f4f4f5) applies')
    assert.deepEqual(refused, [], 'nothing refused by the content security policy')
    await journey.shot(page, 'mail-html')
    await journey.expectAccessible(page, '/dev/inbox (an email)')

    await detail.getByRole('tab', { name: 'Plain text' }).click()
    const textLink = detail.getByRole('tabpanel').getByRole('link', { name: /verify-email\?token=/ })
    assert.equal(await textLink.getAttribute('href'), href)
    await journey.shot(page, 'mail-text')
    await journey.expectAccessible(page, '/dev/inbox (plain text)')

    // The verify page takes the token out of the address as soon as its script runs: the navigation the
    // click starts is what carries it, and the page's heading says it opened.
    const opened = page.waitForRequest(r => r.isNavigationRequest() && /\/auth\/verify-email\?token=/.test(r.url()))
    await open.click()
    await opened
    await page.getByRole('heading', { level: 1, name: 'Confirm your email address' }).waitFor()
    await page.context().close()
  })

  it('puts an SMS code up front, copyable, and brings new messages without reloading the page', async () => {
    const page = await journey.newPage()
    // The page's clock runs as usual (live updates every 3 s) until it is paused for the copy button below.
    await page.clock.install()
    await page.goto(`${journey.origin}/dev/inbox?channel=sms&to=${encodeURIComponent(phone)}`)
    await page.getByRole('heading', { name: 'No messages match this filter' }).waitFor()
    await page.evaluate(() => { (globalThis as unknown as { stayed: boolean }).stayed = true })
    assert.equal(await page.getByRole('checkbox', { name: 'Live updates' }).isChecked(), true)

    const sent = await journey.platform.json('POST', '/api/v1/otp/generate', { destination: phone })
    assert.equal(sent.status, 202, JSON.stringify(sent.body))
    const sms = await journey.mailTo(phone)
    const code = /\b\d{6}\b/.exec(sms.text)![0]
    // Live updates bring it in; the page was never reloaded.
    const item = listed(page).first()
    await item.waitFor()
    assert.equal(await page.evaluate(() => (globalThis as unknown as { stayed?: boolean }).stayed), true, 'the same page, not a reload')
    await item.getByRole('link').click()
    const detail = page.getByRole('article')
    await detail.getByRole('heading', { level: 2, name: `SMS to ${phone}` }).waitFor()
    assert.equal(await detail.getByTestId('code').textContent(), code)
    // "Copied" shows for 2 s: the page's clock stands still meanwhile, so a slow machine cannot miss it
    // (paused a little ahead of the page's time, which runs on until the pause arrives).
    await page.clock.pauseAt(await page.evaluate(() => Date.now()) + 10_000)
    await detail.getByRole('button', { name: `Copy code ${code}` }).click()
    await detail.getByRole('button', { name: `Copied code ${code}` }).waitFor()
    await journey.shot(page, 'sms-code')
    await page.clock.resume()
    await journey.expectAccessible(page, '/dev/inbox (an SMS)')
    await page.context().close()
  })

  it('reads well on a phone, in German too', async () => {
    const page = await journey.newPage({ viewport: { width: 390, height: 844 }, locale: 'de-DE' })
    await page.goto(`${journey.origin}/dev/inbox?to=${encodeURIComponent(email)}`)
    await page.getByRole('heading', { level: 1, name: 'Dev-Postfach' }).waitFor()
    await listed(page, 'Nachrichten').first().waitFor()
    await journey.shot(page, 'phone-list')
    await listed(page, 'Nachrichten').filter({ hasText: /Confirm your email/ }).getByRole('link').click()
    await page.getByRole('link', { name: '← Alle Nachrichten' }).waitFor()
    await page.getByRole('article').getByRole('link', { name: /^Link 1 öffnen/ }).waitFor()
    // The mail's frame grows to the whole mail, wrapped to the phone's width.
    const frame = page.getByRole('article').locator('iframe')
    await frame.contentFrame().getByRole('link', { name: 'Confirm my email' }).waitFor()
    // The frame is fitted when the mail has loaded and on each resize, a render after its link is there.
    const heights = () => frame.evaluate(element => {
      const iframe = element as unknown as { clientHeight: number, contentDocument: { documentElement: { scrollHeight: number } } }
      return [iframe.clientHeight, iframe.contentDocument.documentElement.scrollHeight]
    })
    let [frameHeight = 0, mailHeight = 0] = await heights()
    await waitFor(async () => {
      [frameHeight = 0, mailHeight = 0] = await heights()
      return frameHeight >= mailHeight - 2
    }, 60_000, 100).catch(() => {}) // the assertion below names the two heights
    assert.ok(frameHeight >= mailHeight - 2, `the frame (${frameHeight}px) shows the whole mail (${mailHeight}px)`)
    await journey.shot(page, 'phone-mail')
    await journey.expectAccessible(page, '/dev/inbox on a phone')
    await page.context().close()
  })

  it('says what failed when the inbox cannot be read, and tries again on request', async () => {
    const page = await journey.newPage()
    // Live updates off from the start, so that only the button can bring the list back: a live read
    // (one already under way when the box was unchecked, too) would remove the alert before the click.
    await page.addInitScript(() => { globalThis.localStorage.setItem('gatehouse.inbox.live', 'off') })
    let fail = true
    await page.route('**/dev/inbox?*', route => fail && route.request().resourceType() === 'fetch' ? route.fulfill({ status: 503, contentType: 'application/problem+json', body: '{"status":503,"code":"unavailable","title":"Service Unavailable"}' }) : route.fallback())
    await page.goto(`${journey.origin}/dev/inbox?to=${encodeURIComponent(email)}`)
    const alert = page.getByRole('alert').filter({ hasText: 'This could not be loaded.' })
    await alert.waitFor()
    assert.equal(await page.getByRole('checkbox', { name: 'Live updates' }).isChecked(), false)
    await journey.shot(page, 'load-error')
    await journey.expectAccessible(page, '/dev/inbox (load error)')
    fail = false
    await alert.getByRole('button', { name: 'Try again' }).click()
    await listed(page).first().waitFor()
    await page.context().close()
  })

  it('opens the console at /: the account page with a session, the login page without', async () => {
    const page = await journey.newPage()
    await page.goto(`${journey.origin}/`)
    await page.waitForURL(/\/auth\/login/)
    const login = await journey.platform.json('POST', '/api/v1/auth/login', { email, password: PASSWORD })
    assert.equal(login.status, 200, JSON.stringify(login.body))
    const tokens = JSON.stringify({ accessToken: login.body.accessToken, refreshToken: login.body.refreshToken })
    await page.evaluate(value => { (globalThis as unknown as { localStorage: { setItem: (k: string, v: string) => void } }).localStorage.setItem('gatehouse.tokens', value) }, tokens)
    await page.goto(`${journey.origin}/`)
    await page.waitForURL(/\/account/)
    await page.getByRole('heading', { level: 1 }).waitFor()
    await page.context().close()
  })

  it('clears the inbox after asking', async () => {
    const other = uniqueEmail('clear')
    await register(other, 'Grace')
    await journey.mailTo(other)
    const page = await journey.newPage()
    const errors: string[] = []
    page.on('pageerror', error => errors.push(error.message))
    page.on('response', response => { if (response.status() >= 400) errors.push(`${response.status()} ${response.url()}`) })
    await page.goto(`${journey.origin}/dev/inbox`)
    await listed(page).first().waitFor().catch(async (err: unknown) => {
      await journey.shot(page, 'clear-failed')
      throw new Error(`${String(err)}\n${errors.join('\n')}\n${(await page.locator('#main').innerText().catch(() => 'no #main')).slice(0, 2000)}`)
    })
    // A read of the list answered before the clear but arriving after it does not bring the messages back.
    // The first read asked after it is answered (a live update, which starts only once no read is under way,
    // so once the held one has been handled) is held too, while the list is looked at: no fixed wait.
    let reads = 0
    let answering = false
    let release = () => {}
    const held = new Promise<void>(resolve => { release = resolve })
    let asked = () => {}
    const wasAsked = new Promise<void>(resolve => { asked = resolve })
    let askedAgain = () => {}
    const wasAskedAgain = new Promise<void>(resolve => { askedAgain = resolve })
    let releaseNext = () => {}
    const heldNext = new Promise<void>(resolve => { releaseNext = resolve })
    const isRead = (url: URL) => url.pathname === '/dev/inbox'
    await page.route(isRead, async route => {
      if (route.request().method() !== 'GET' || reads >= 2 || (reads === 1 && !answering)) return route.fallback()
      reads += 1
      if (reads === 2) {
        askedAgain()
        await heldNext
        return route.fallback()
      }
      const response = await route.fetch()
      asked()
      await held
      await route.fulfill({ response })
    })
    await page.getByRole('button', { name: 'Refresh' }).click()
    await wasAsked
    await page.getByRole('button', { name: 'Clear inbox' }).click()
    const dialog = page.getByRole('dialog', { name: 'Clear the dev inbox?' })
    await dialog.waitFor()
    await journey.expectAccessible(page, '/dev/inbox (clear dialog)')
    await dialog.getByRole('button', { name: 'Clear everything' }).click()
    await page.getByRole('heading', { name: 'No messages yet' }).waitFor()
    answering = true
    release()
    await wasAskedAgain
    assert.equal(await listed(page).count(), 0, 'the read that was under way does not undo the clear')
    await page.getByRole('heading', { name: 'No messages yet' }).waitFor()
    releaseNext()
    await journey.shot(page, 'empty')
    const inbox = await journey.platform.json('GET', '/dev/inbox')
    assert.deepEqual(inbox.body.items, [])
  })
})
