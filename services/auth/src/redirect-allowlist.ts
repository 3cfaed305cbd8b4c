import { returnAddressAdmitted } from '@app/contracts/return-addresses'
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

/**
 * The places a sign-in may send the browser back to (`redirectTo` of magic links and identity-provider sign-in).
 * `raw` is AUTH_REDIRECT_ALLOWLIST: comma-separated absolute URLs; a `redirectTo` is allowed when it has the same
 * scheme, host and port as an entry and its path is the entry's path or below it (its query is free). Empty: none.
 * A malformed entry throws at start-up, naming the variable.
 */
export function createRedirectAllowlist (raw: string) {
  const entries = raw.split(',').map(e => e.trim()).filter(e => e !== '').map(parseEntry)
  const absolute = entries.map(e => `${e.origin}${e.path}`)
  const allows = (candidate: string): boolean => returnAddressAdmitted(absolute, candidate)

  return {
    /** The entries as absolute URLs (origin and path): what the hosted pages check a `redirectTo` against before sign-in. */
    entries: absolute,
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
