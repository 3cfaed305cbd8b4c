// The return-URL contract every hosted page uses (API.md, Hosted pages): a `redirectTo` is followed only when the
// allow-list of GET /api/v1/auth/hosted-config admits it; another origin gets a one-time code, never the tokens.
import { useEffect, useState } from 'react'
import type { NavigateFunction } from 'react-router'
import type { paths } from '@app/client'
import { client } from '../api.ts'
import { call } from '../problem.ts'
import type { Outcome, Problem } from '../problem.ts'

/** What the hosted pages offer: the allow-list and the sign-in methods that are on. */
export type HostedConfig = paths['/api/v1/auth/hosted-config']['get']['responses'][200]['content']['application/json']

let configLoad: Promise<Outcome<HostedConfig>> | undefined

/** The hosted pages' configuration, read once per page load (a failed read is tried again by the next caller). */
export function loadHostedConfig (): Promise<Outcome<HostedConfig>> {
  configLoad ??= call(client.GET('/api/v1/auth/hosted-config')).then((outcome) => {
    if (!outcome.ok) configLoad = undefined
    return outcome as Outcome<HostedConfig>
  })
  return configLoad
}

/** The configuration for a page: undefined while it loads. */
export function useHostedConfig (): Outcome<HostedConfig> | undefined {
  const [state, setState] = useState<Outcome<HostedConfig> | undefined>()
  useEffect(() => {
    let live = true
    loadHostedConfig().then(outcome => { if (live) setState(outcome) }, () => {})
    return () => { live = false }
  }, [])
  return state
}

const underPath = (path: string, prefix: string) =>
  path === prefix || prefix === '/' || path.startsWith(prefix.endsWith('/') ? prefix : `${prefix}/`)

/** As the auth service decides (redirect-allowlist.ts): an entry's origin, and its path or below; no user part, fragment or backslash. */
export function allowListAdmits (entries: string[], candidate: string): boolean {
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
    return allowed.origin === url.origin && underPath(url.pathname, allowed.pathname)
  })
}

/** A path of this origin (`/account/security?x`), never `//host` or `/\host`, which browsers read as another host. */
const isLocalPath = (value: string) => value.startsWith('/') && !value.startsWith('//') && !value.startsWith('/\\')

/**
 * Where a `redirectTo` may send the browser: a path of this origin (or a full URL of it, made a path); another origin
 * only when the allow-list admits it. Undefined when it is refused.
 */
export function acceptedTarget (redirectTo: string, allowlist: string[]): string | undefined {
  if (isLocalPath(redirectTo)) return redirectTo
  let url: URL
  try {
    url = new URL(redirectTo)
  } catch {
    return undefined
  }
  if (url.origin === globalThis.location.origin && !url.username && !url.password) return `${url.pathname}${url.search}`
  return allowListAdmits(allowlist, redirectTo) ? url.href : undefined
}

export interface ReturnTo {
  /** The `redirectTo` asked for, when the allow-list accepts it (a same-origin path always is). */
  target: string | undefined
  /** True when a `redirectTo` was given and refused: the page says so and stays here. */
  refused: boolean
  /** Still reading the allow-list. */
  checking: boolean
  /** The `redirectTo` as given, for the page to name when it refuses it. */
  asked: string | undefined
  /** Set when the allow-list could not be read (then another origin is refused, as it cannot be checked). */
  problem?: Problem | undefined
}

/** Reads `?redirectTo=` and checks it against the allow-list (GET /api/v1/auth/hosted-config). */
export function useReturnTo (): ReturnTo {
  const asked = new URLSearchParams(globalThis.location.search).get('redirectTo') ?? undefined
  const local = asked !== undefined && isLocalPath(asked)
  const config = useHostedConfig()
  if (asked === undefined || asked === '') return { target: undefined, refused: false, checking: false, asked: undefined }
  if (local) return { target: asked, refused: false, checking: false, asked }
  if (!config) return { target: undefined, refused: false, checking: true, asked }
  // Without the allow-list nothing on another origin can be trusted: refused, and the sign-in still works to /account.
  const target = config.ok ? acceptedTarget(asked, config.data.redirectAllowlist) : undefined
  return { target, refused: target === undefined, checking: false, asked, problem: config.ok ? undefined : config.problem }
}

/** Whether a target leaves this origin (then the sign-in is handed over with a one-time code). */
export const isOtherOrigin = (target: string) => !isLocalPath(target) && new URL(target, globalThis.location.origin).origin !== globalThis.location.origin

/**
 * After a sign-in: to `target` (another origin gets a one-time code to exchange, never the tokens), else /account.
 * Answers the problem when the handoff to another origin was refused (the session stays; the page shows why).
 */
export async function finishSignIn (navigate: NavigateFunction, target: string | undefined): Promise<Problem | undefined> {
  if (!target || !isOtherOrigin(target)) {
    navigate(target ?? '/account', { replace: true })
    return undefined
  }
  const handoff = await call(client.POST('/api/v1/auth/handoff', { body: { redirectTo: target } }))
  if (!handoff.ok) return handoff.problem
  globalThis.location.assign(handoff.data.location)
  return undefined
}

/** After a flow without a session (reset, verified email): to `target` with `?outcome=`, else `fallback`. */
export function finishWithOutcome (navigate: NavigateFunction, target: string | undefined, outcome: string, fallback: string): void {
  if (!target) return navigate(fallback, { replace: true }) as undefined
  const url = new URL(target, globalThis.location.origin)
  url.searchParams.set('outcome', outcome)
  if (url.origin === globalThis.location.origin) navigate(`${url.pathname}${url.search}`, { replace: true })
  else globalThis.location.assign(url.toString())
}

/**
 * The console's own return address for a sign-in that leaves the page (a magic link, an identity provider):
 * /auth/callback, which exchanges the code and then continues to `target`. Undefined when the allow-list does not
 * admit it (those methods are then not offered).
 */
export function callbackUrl (config: HostedConfig, method: 'magic-link' | 'oidc', target: string | undefined): string | undefined {
  const url = new URL('/auth/callback', globalThis.location.origin)
  url.searchParams.set('method', method)
  if (target) url.searchParams.set('redirectTo', target)
  return allowListAdmits(config.redirectAllowlist, url.href) ? url.href : undefined
}
