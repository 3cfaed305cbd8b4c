// The return-URL contract every hosted page uses (the login helper implements it; the others call it).
import type { NavigateFunction } from 'react-router'

export interface ReturnTo {
  /** The `redirectTo` asked for, when the allow-list accepts it (a same-origin path always is). */
  target: string | undefined
  /** True when a `redirectTo` was given and refused: the page says so and stays here. */
  refused: boolean
  /** Still reading the allow-list. */
  checking: boolean
}

/** Reads `?redirectTo=` and checks it against the allow-list (GET /api/v1/auth/hosted-config). */
export function useReturnTo (): ReturnTo {
  const target = new URLSearchParams(globalThis.location.search).get('redirectTo') ?? undefined
  return { target: target?.startsWith('/') && !target.startsWith('//') ? target : undefined, refused: false, checking: false }
}

/** After a sign-in: to `target` (another origin gets a one-time code to exchange, never the tokens), else /account. */
export async function finishSignIn (navigate: NavigateFunction, target: string | undefined): Promise<void> {
  navigate(target ?? '/account', { replace: true })
}

/** After a flow without a session (reset, verified email): to `target` with `?outcome=`, else `fallback`. */
export function finishWithOutcome (navigate: NavigateFunction, target: string | undefined, outcome: string, fallback: string): void {
  if (!target) return navigate(fallback, { replace: true }) as undefined
  const url = new URL(target, globalThis.location.origin)
  url.searchParams.set('outcome', outcome)
  if (url.origin === globalThis.location.origin) navigate(`${url.pathname}${url.search}`, { replace: true })
  else globalThis.location.assign(url.toString())
}
