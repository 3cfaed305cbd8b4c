// The return-address rule (API.md, Hosted pages): one function, so that the auth service's check of a
// `redirectTo` and the hosted pages' check before sign-in can never disagree.

/** The entry's path itself, or anything below it: `/app` admits `/app` and `/app/x`, not `/apple`. */
export function isUnderPath (path: string, prefix: string): boolean {
  if (path === prefix || prefix === '/') return true
  return path.startsWith(prefix.endsWith('/') ? prefix : `${prefix}/`)
}

/**
 * True when `candidate` may be returned to: an absolute URL with the same scheme, host and port as one of
 * `entries` (absolute URLs of an origin and a path prefix) and its path at or below that entry's path; its
 * query is free. A user part (`https://app.example@evil.example`), a fragment or a backslash (which browsers
 * read as a slash) is never admitted; dot segments and encoded slashes are resolved by URL itself.
 */
export function returnAddressAdmitted (entries: readonly string[], candidate: string): boolean {
  if (candidate.includes('\\')) return false
  let url: URL
  try {
    url = new URL(candidate)
  } catch {
    return false
  }
  if (url.username || url.password || url.hash) return false
  return entries.some((entry) => {
    const allowed = new URL(entry)
    return allowed.origin === url.origin && isUnderPath(url.pathname, allowed.pathname)
  })
}
