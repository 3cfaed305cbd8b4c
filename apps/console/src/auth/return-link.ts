// The hosted pages link to each other with the app's return on the address: its `redirectTo` and the
// `codeChallenge` bound to it (README "Send your users to the hosted login"), so that a detour through sign-up or
// forgot-password still ends in a handoff that only the app's verifier opens. Each page checks `redirectTo` again
// (useReturnTo); the auth service checks the challenge.
import { useLocation } from 'react-router'

/** What a hosted page passes on to the next one. */
export interface PageReturn {
  /** `?redirectTo=` as given (the next page checks it again), or a target this page has checked already. */
  redirectTo: string | undefined
  /** The app's `?codeChallenge=` (S256). It only means something beside a `redirectTo`, and only travels with one. */
  codeChallenge: string | undefined
}

/** The return named by a query string (`?redirectTo=…&codeChallenge=…`). */
export function pageReturnIn (search: string): PageReturn {
  const query = new URLSearchParams(search)
  return { redirectTo: query.get('redirectTo') ?? undefined, codeChallenge: query.get('codeChallenge') ?? undefined }
}

/** This page's return, from the router's address (so it follows navigations inside the console). */
export function usePageReturn (): PageReturn {
  return pageReturnIn(useLocation().search)
}

/** `path` with the return added to its query; `path` as it is without a `redirectTo`. */
export function withReturn (path: string, { redirectTo, codeChallenge }: PageReturn): string {
  if (!redirectTo) return path
  const challenge = codeChallenge ? `&codeChallenge=${encodeURIComponent(codeChallenge)}` : ''
  return `${path}${path.includes('?') ? '&' : '?'}redirectTo=${encodeURIComponent(redirectTo)}${challenge}`
}
