import { KitErrors } from '@app/kit/errors'

/** One allowed place: an origin and a path prefix. */
interface AllowedRedirect {
  origin: string
  path: string
}

function parseEntry (entry: string): AllowedRedirect {
  let url: URL
  try {
    url = new URL(entry)
  } catch {
    throw new Error(`AUTH_REDIRECT_ALLOWLIST: "${entry}" is not an absolute URL`)
  }
  if (url.protocol !== 'https:' && url.protocol !== 'http:') throw new Error(`AUTH_REDIRECT_ALLOWLIST: "${entry}" must be an http or https URL`)
  if (url.username || url.password || url.search || url.hash) throw new Error(`AUTH_REDIRECT_ALLOWLIST: "${entry}" must have no user, query or fragment`)
  return { origin: url.origin, path: url.pathname }
}

/** The entry's path itself, or anything below it: `/app` admits `/app` and `/app/x`, not `/apple`. */
function underPath (path: string, prefix: string): boolean {
  if (path === prefix || prefix === '/') return true
  return path.startsWith(prefix.endsWith('/') ? prefix : `${prefix}/`)
}

/**
 * The places a sign-in may send the browser back to (`redirectTo` of magic links and identity-provider sign-in).
 * `raw` is AUTH_REDIRECT_ALLOWLIST: comma-separated absolute URLs; a `redirectTo` is allowed when it has the same
 * scheme, host and port as an entry and its path is the entry's path or below it (its query is free). Empty: none.
 * A malformed entry throws at start-up, naming the variable.
 */
export function createRedirectAllowlist (raw: string) {
  const entries = raw.split(',').map(e => e.trim()).filter(e => e !== '').map(parseEntry)

  function allows (candidate: string): boolean {
    let url: URL
    try {
      url = new URL(candidate)
    } catch {
      return false
    }
    // A user part (`https://app.example@evil.example`) or a fragment is never what a sign-in returns to.
    if (url.username || url.password || url.hash) return false
    // Dot segments and encoded slashes are resolved by URL itself; a backslash would be by browsers, so it is refused.
    if (candidate.includes('\\')) return false
    return entries.some(e => e.origin === url.origin && underPath(url.pathname, e.path))
  }

  return {
    /** The entries as absolute URLs (origin and path): what the hosted pages check a `redirectTo` against before sign-in. */
    entries: entries.map(e => `${e.origin}${e.path}`),
    allows,
    /** The URL when allowed, else `400 validation_failed` naming `path` (e.g. `/body/redirectTo`). */
    check (candidate: string, path: string): string {
      if (allows(candidate)) return new URL(candidate).href
      throw KitErrors.validation_failed({
        detail: 'redirectTo is not an allowed return address',
        errors: [{ path, message: 'is not in the allowed return addresses (AUTH_REDIRECT_ALLOWLIST)' }]
      })
    }
  }
}

export type RedirectAllowlist = ReturnType<typeof createRedirectAllowlist>
