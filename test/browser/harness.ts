/**
 * Console journeys in Debian's Chromium against the whole platform in this
 * process (embedded, or the real servers when their URLs are set). The pages
 * are opened at http://localhost:<port> (WebAuthn and secure-context APIs
 * treat localhost as secure; an IP address is not). Each journey gets a
 * fresh browser context; `shot` saves a screenshot under
 * test-results/console/<journey>/ and `expectAccessible` fails on any
 * serious or critical axe-core violation of the page as it is now.
 */
import { after, before } from 'node:test'
import assert from 'node:assert/strict'
import { existsSync, mkdirSync, readFileSync } from 'node:fs'
import { createRequire } from 'node:module'
import { fileURLToPath } from 'node:url'
import { chromium } from 'playwright-core'
import type { Browser, BrowserContext, Page } from 'playwright-core'
import { usePlatform } from '../e2e/helper.ts'

const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium'
const AXE_SOURCE = readFileSync(createRequire(import.meta.url).resolve('axe-core/axe.min.js'), 'utf8')
export const OUTPUT = fileURLToPath(new URL('../../test-results/console/', import.meta.url))

export const PASSWORD = 'correct horse battery staple'
export const ADMIN = { email: 'admin@console.test', password: 'admin correct horse battery' }

interface AxeViolation { id: string, impact: string | null, help: string, nodes: Array<{ target: string[] }> }

export interface ConsoleJourney {
  /** http://localhost:<gateway port> */
  readonly origin: string
  readonly platform: ReturnType<typeof usePlatform>
  /** A new browser context (its own storage) with one page; closed after the file. */
  newPage (options?: { viewport?: { width: number, height: number }, locale?: string }): Promise<Page>
  /** Saves a full-page screenshot as test-results/console/<journey>/<nn>-<name>.png. */
  shot (page: Page, name: string): Promise<void>
  /** Fails on any serious or critical accessibility violation (axe-core, WCAG 2 A/AA rules). */
  expectAccessible (page: Page, where: string): Promise<void>
  /** The newest message the dev inbox holds for `to` (waiting for it), as the API returns it. */
  mailTo (to: string, match?: (m: InboxMessage) => boolean): Promise<InboxMessage>
}

export interface InboxMessage { id: string, channel: string, to: string, subject?: string, text: string, html?: string, createdAt: string }

/** Starts the platform (with the first admin) and Chromium for one test file's journeys. */
export function useConsoleJourney (journey: string, overrides: Record<string, string> = {}): ConsoleJourney {
  // The gateway's 10 s deadline per proxied request is not what a journey is about: on a loaded machine the
  // platform, the browser and the test share two cores, and a page's request would end in a 504 instead.
  const platform = usePlatform({ ADMIN_EMAIL: ADMIN.email, ADMIN_PASSWORD: ADMIN.password, GATEWAY_UPSTREAM_TIMEOUT_MS: '60000', ...overrides })
  let browser: Browser | undefined
  const contexts: BrowserContext[] = []
  let shots = 0
  const folder = `${OUTPUT}${journey}/`

  before(async () => {
    assert.ok(existsSync(CHROMIUM), `Chromium is missing at ${CHROMIUM}: install Debian's package (apt-get install chromium) or set CHROMIUM_PATH; bash .ci/run installs it`)
    mkdirSync(folder, { recursive: true })
    browser = await chromium.launch({ executablePath: CHROMIUM, headless: true, args: ['--no-sandbox', '--disable-background-networking'] })
  })
  after(async () => {
    for (const context of contexts) await context.close().catch(() => {})
    await browser?.close()
  })

  const journeyApi: ConsoleJourney = {
    get origin () { return `http://localhost:${new URL(platform.url).port}` },
    platform,
    async newPage (options = {}) {
      const context = await browser!.newContext({ viewport: options.viewport ?? { width: 1280, height: 860 }, locale: options.locale ?? 'en-US' })
      contexts.push(context)
      const page = await context.newPage()
      // Generous: a first load of the console in a new context takes seconds at load average 8 (only a hang reaches it).
      page.setDefaultTimeout(60_000)
      return page
    },
    async shot (page, name) {
      shots += 1
      await page.screenshot({ path: `${folder}${String(shots).padStart(2, '0')}-${name}.png`, fullPage: true })
    },
    async expectAccessible (page, where) {
      // evaluate runs outside the page's CSP (a script tag would be refused by it, as it should be).
      await page.evaluate(AXE_SOURCE)
      const violations = await page.evaluate(async () => {
        const axe = (globalThis as unknown as { axe: { run: (context: unknown, options: unknown) => Promise<{ violations: AxeViolation[] }> } }).axe
        const result = await axe.run(globalThis.document, { runOnly: { type: 'tag', values: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'best-practice'] } })
        return result.violations.map(v => ({ id: v.id, impact: v.impact, help: v.help, nodes: v.nodes.slice(0, 3).map(n => ({ target: n.target })) }))
      }) as AxeViolation[]
      const bad = violations.filter(v => v.impact === 'serious' || v.impact === 'critical')
      assert.deepEqual(bad, [], `${where}: accessibility violations\n${JSON.stringify(bad, null, 2)}`)
    },
    async mailTo (to, match = () => true) {
      const deadline = Date.now() + 60_000
      for (;;) {
        const inbox = await platform.json('GET', `/dev/inbox?to=${encodeURIComponent(to)}`)
        const found = (inbox.body?.items as InboxMessage[] | undefined)?.find(match)
        if (found) return found
        if (Date.now() > deadline) throw new Error(`no message to ${to} in the dev inbox within 60 s (${JSON.stringify(inbox.body).slice(0, 500)})`)
        await new Promise(resolve => setTimeout(resolve, 100))
      }
    }
  }
  return journeyApi
}

/** A fresh address per run, so journeys on the shared real servers never meet. */
export const uniqueEmail = (label: string) => `${label}.${Date.now().toString(36)}${Math.random().toString(36).slice(2, 6)}@example.com`
