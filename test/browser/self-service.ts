// Steps the sign-up and forgot-password journeys share: follow a mailed link on this platform,
// sign in on the login page, read what the page says beside a field.
import assert from 'node:assert/strict'
import type { Locator, Page } from 'playwright-core'
import type { ConsoleJourney, InboxMessage } from './harness.ts'

/**
 * The link in a message, opened on the journey's origin. The platform under
 * test listens on a free port while the links default to the documented
 * address (PASSWORD_RESET_URL, EMAIL_VERIFICATION_URL); the path and query
 * are what the hosted page needs.
 */
export function linkIn (message: InboxMessage, journey: ConsoleJourney, path: string): string {
  const found = /(https?:\/\/\S+?token=[A-Za-z0-9_-]+)/.exec(message.text)
  assert.ok(found, `a link with a token in: ${message.text}`)
  const url = new URL(found[1]!)
  assert.equal(url.pathname, path, 'the mail links to the hosted page')
  return `${journey.origin}${url.pathname}${url.search}`
}

/** The text announced with a field (its hint and error, through aria-describedby). */
export async function describedBy (field: Locator): Promise<string> {
  const ids = (await field.getAttribute('aria-describedby')) ?? ''
  const page = field.page()
  const texts = await Promise.all(ids.split(/\s+/).filter(Boolean).map(id => page.locator(`[id="${id}"]`).innerText()))
  return texts.join(' ')
}

/**
 * Fails unless what is announced with the field comes to match `expected`: read again every
 * 100 ms (a message a click brings is shown by a render after it) for at most 60 s.
 */
export async function expectDescribedBy (field: Locator, expected: RegExp): Promise<void> {
  const deadline = Date.now() + 60_000
  let text = await describedBy(field)
  while (!expected.test(text) && Date.now() < deadline) {
    await new Promise(resolve => setTimeout(resolve, 100))
    text = await describedBy(field)
  }
  assert.match(text, expected)
}

/** Signs in on the hosted login page with an email and a password. */
export async function signInOnPage (page: Page, email: string, password: string): Promise<void> {
  await page.getByLabel('Email or phone number').fill(email)
  await page.getByLabel('Password', { exact: true }).fill(password)
  await page.getByRole('button', { name: 'Sign in', exact: true }).click()
}

/** The 6-digit code of a text message or mail. */
export function codeIn (message: InboxMessage): string {
  const found = /\b(\d{6})\b/.exec(message.text)
  assert.ok(found, `a code in: ${message.text}`)
  return found[1]!
}
