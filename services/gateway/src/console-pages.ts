import { existsSync, readFileSync } from 'node:fs'
import { fileURLToPath } from 'node:url'
import fastifyStatic from '@fastify/static'
import { KitErrors } from '@app/kit/errors'
import type { App } from '@app/kit/http'

/** The console's pages (one single-page app) and its hashed static files, as the route policy table names them. */
export const CONSOLE_PAGE_PATTERNS = ['/', '/auth/*', '/account', '/account/*', '/admin', '/admin/*', '/console/*']

// The app is ours and loads nothing from elsewhere: scripts and styles from this origin only, no inline script.
export const CONSOLE_CSP = "default-src 'self'; base-uri 'self'; connect-src 'self'; font-src 'self'; form-action 'self'; " +
  "frame-ancestors 'none'; img-src 'self' data:; object-src 'none'; script-src 'self'; script-src-attr 'none'; style-src 'self'"

/** apps/console/dist, from src/ or dist/ of this service (both sit at the same depth). */
export const DEFAULT_CONSOLE_DIR = fileURLToPath(new URL('../../../apps/console/dist/', import.meta.url))

const PAGE_PREFIXES = ['/auth/', '/account/', '/admin/', '/console/']
const PAGES = new Set(['/', '/account', '/admin'])

/** True for a path the console answers (so it gets the console's content security policy). */
export function isConsolePath (url: string): boolean {
  const path = url.split('?', 1)[0]!
  return PAGES.has(path) || PAGE_PREFIXES.some(prefix => path.startsWith(prefix))
}

/**
 * Serves the console built by `npm run build` (vite, into apps/console/dist):
 * `/console/assets/*` with a year of caching (their names carry a content
 * hash), and every page path with the app's index.html, never cached, so a
 * new build is picked up on the next visit. Without a build the pages answer
 * a 404 problem that says how to make one.
 */
export async function registerConsolePages (app: App, dir = DEFAULT_CONSOLE_DIR): Promise<void> {
  const index = existsSync(`${dir}index.html`) ? readFileSync(`${dir}index.html`) : undefined
  if (index) {
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
  }
  const schema = { hide: true }
  for (const path of ['/', '/auth/*', '/account', '/account/*', '/admin', '/admin/*']) {
    app.get(path, { schema }, async (_request, reply) => {
      if (!index) throw KitErrors.not_found('The console is not built: run `npm run build` (npm start does it)')
      return reply.header('cache-control', 'no-cache').type('text/html; charset=utf-8').send(index)
    })
  }
}
