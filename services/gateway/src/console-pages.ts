import { readFileSync, statSync } from 'node:fs'
import { fileURLToPath } from 'node:url'
import fastifyStatic from '@fastify/static'
import { KitErrors } from '@app/kit/errors'
import type { App } from '@app/kit/http'

/** The console's pages (one single-page app) and its hashed static files, as the route policy table names them. */
export const CONSOLE_PAGE_PATTERNS = ['/', '/auth/*', '/account', '/account/*', '/admin', '/admin/*', '/console/*']

// The app is ours and loads nothing from elsewhere: scripts and styles from this origin only, no inline script.
export const CONSOLE_CSP = "default-src 'self'; base-uri 'self'; connect-src 'self'; font-src 'self'; form-action 'self'; " +
  "frame-ancestors 'none'; img-src 'self' data:; object-src 'none'; script-src 'self'; script-src-attr 'none'; style-src 'self'"

/**
 * The dev inbox page shows captured HTML mails in a sandboxed frame (`srcdoc`,
 * no allow-scripts), which inherits this page's policy: the mails' inline
 * styles need 'unsafe-inline' for styles, on this page only. Scripts stay
 * 'self' only, and the sandbox runs none of a mail's; images from elsewhere
 * (tracking pixels) stay blocked.
 */
export const DEV_INBOX_CSP = CONSOLE_CSP.replace("style-src 'self'", "style-src 'self' 'unsafe-inline'")

/** apps/console/dist, from src/ or dist/ of this service (both sit at the same depth). */
export const DEFAULT_CONSOLE_DIR = fileURLToPath(new URL('../../../apps/console/dist/', import.meta.url))

const PAGE_PREFIXES = ['/auth/', '/account/', '/admin/', '/console/']
const PAGES = new Set(['/', '/account', '/admin'])

/** True for a path the console answers (so it gets the console's content security policy). */
export function isConsolePath (url: string): boolean {
  const path = url.split('?', 1)[0]!
  return PAGES.has(path) || PAGE_PREFIXES.some(prefix => path.startsWith(prefix))
}

/** What the notification service answers `GET /dev/inbox` with: 200 when the dev inbox is on, 404 when off. */
export type DevInboxProbe = () => Promise<number>

/** How long the inbox being on (200) or off (404) is believed: it changes only with a restart of the notification service. */
export const DEV_INBOX_ANSWER_TTL_MS = 5000
/** How long any other answer (the service down or failing) is: one coming up shows on the next visit a second later. */
export const DEV_INBOX_FAILURE_TTL_MS = 1000

export interface DevInboxProbeOptions {
  /** The clock (epoch milliseconds) the answers' lifetimes are measured by. */
  now?: () => number
}

/**
 * Asks the notification service (at `baseUrl()`) whether its dev inbox is on; 503 when it cannot be reached in time.
 * An answer is reused for a few seconds (a failure for one), and visits meanwhile share the one request in flight:
 * browsing the inbox page does not ask the service once per page load.
 */
export function devInboxProbe (baseUrl: () => string, timeoutMs: number, { now = Date.now }: DevInboxProbeOptions = {}): DevInboxProbe {
  let answer: { status: number, until: number } | undefined
  let asking: Promise<number> | undefined
  async function ask (): Promise<number> {
    try {
      const res = await fetch(`${baseUrl()}/dev/inbox?limit=1`, { headers: { accept: 'application/json' }, signal: AbortSignal.timeout(timeoutMs) })
      await res.body?.cancel()
      return res.status
    } catch {
      return 503
    }
  }
  return async () => {
    if (answer && now() < answer.until) return answer.status
    asking ??= ask().then((status) => {
      answer = { status, until: now() + (status === 200 || status === 404 ? DEV_INBOX_ANSWER_TTL_MS : DEV_INBOX_FAILURE_TTL_MS) }
      return status
    }).finally(() => { asking = undefined })
    return asking
  }
}

// Browsers ask for pages with `Accept: text/html`; curl (`*/*`) and fetch calls get the JSON as before.
const ACCEPTS_HTML = 'acceptsHtml'
const acceptsHtml = {
  name: ACCEPTS_HTML,
  mustMatchWhenDerived: false,
  storage () {
    const handlers = new Map<string, unknown>()
    return { get: (value: string) => handlers.get(value) ?? null, set: (value: string, handler: unknown) => { handlers.set(value, handler) } }
  },
  deriveConstraint: (req: { headers: Record<string, string | string[] | undefined> }) => {
    const accept = req.headers.accept
    return typeof accept === 'string' && accept.includes('text/html') ? 'yes' : undefined
  }
}

/**
 * `/dev/inbox` in a browser: the console's inbox page, when the notification
 * service says the inbox is on; its 404 (off, as in production) or 503 (down)
 * otherwise. Every other request of the path (the JSON, DELETE) goes to the
 * service as before. The page's own policy allows the mails' inline styles.
 */
function registerDevInboxPage (app: App, indexOf: () => Buffer | undefined, probe: DevInboxProbe): void {
  if (!app.hasConstraintStrategy(ACCEPTS_HTML)) app.addConstraintStrategy(acceptsHtml as never)
  app.get('/dev/inbox', { schema: { hide: true }, constraints: { [ACCEPTS_HTML]: 'yes' }, exposeHeadRoute: false }, async (request, reply) => {
    if (!request.gatewayRoute) throw KitErrors.not_found('No route matches the method and path')
    const status = await probe()
    if (status === 404) throw KitErrors.not_found('The dev inbox is off: it runs in development (NODE_ENV other than production) or with NOTIFY_DEV_INBOX=on')
    if (status !== 200) throw KitErrors.unavailable('The notification service is unavailable')
    const index = indexOf()
    if (!index) throw KitErrors.not_found('The console is not built: run `npm run build` (npm start does it)')
    return reply.header('cache-control', 'no-cache').header('vary', 'accept').header('content-security-policy', DEV_INBOX_CSP)
      .type('text/html; charset=utf-8').send(index)
  })
}

/**
 * The built index.html, read again when a new build replaced it (its mtime
 * changed): a rebuild while the platform runs shows on the next visit, instead
 * of the old page asking for hashed files the build has deleted (a blank page).
 */
function currentIndex (dir: string): () => Buffer | undefined {
  let cached: { mtimeMs: number, body: Buffer } | undefined
  return () => {
    const stat = statSync(`${dir}index.html`, { throwIfNoEntry: false })
    if (!stat) return undefined
    if (cached?.mtimeMs !== stat.mtimeMs) cached = { mtimeMs: stat.mtimeMs, body: readFileSync(`${dir}index.html`) }
    return cached.body
  }
}

/**
 * Serves the console built by `npm run build` (vite, into apps/console/dist):
 * `/console/assets/*` with a year of caching (their names carry a content
 * hash), and every page path with the app's index.html, never cached, so a
 * new build is picked up on the next visit. Without a build the pages answer
 * a 404 problem that says how to make one. With `devInbox`, `/dev/inbox`
 * opens the inbox page in a browser (registerDevInboxPage).
 */
export async function registerConsolePages (app: App, dir = DEFAULT_CONSOLE_DIR, options: { devInbox?: DevInboxProbe } = {}): Promise<void> {
  const indexOf = currentIndex(dir)
  // Registered even before a build exists (files are looked up per request): a build made while the
  // platform runs is served without a restart.
  await app.register(fastifyStatic, {
    root: dir,
    prefix: '/console/',
    index: false,
    wildcard: true,
    decorateReply: false,
    cacheControl: false,
    setHeaders (res, path) {
      res.header('cache-control', path.includes('/assets/') ? 'public, max-age=31536000, immutable' : 'no-cache')
    }
  })
  const schema = { hide: true }
  for (const path of ['/', '/auth/*', '/account', '/account/*', '/admin', '/admin/*']) {
    app.get(path, { schema }, async (_request, reply) => {
      const index = indexOf()
      if (!index) throw KitErrors.not_found('The console is not built: run `npm run build` (npm start does it)')
      return reply.header('cache-control', 'no-cache').type('text/html; charset=utf-8').send(index)
    })
  }
  if (options.devInbox) registerDevInboxPage(app, indexOf, options.devInbox)
}
