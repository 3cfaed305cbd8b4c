// The return-URL contract every hosted page uses (API.md, Hosted pages): a `redirectTo` is followed only when the
// allow-list of GET /api/v1/auth/hosted-config admits it; another origin gets a one-time code, never the tokens.
import { useEffect, useState } from 'react'
import type { NavigateFunction } from 'react-router'
import type { paths } from '@app/client'
import { client } from '../api.ts'
import { call } from '../problem.ts'
import type { Outcome, Problem } from '../problem.ts'
import { pageReturnIn } from './return-link.ts'
import { allowListAdmits, outcomeDestination, resolveTarget as resolveTargetAt, signInNonceIn, takeSignInNonceFrom } from './redirect-target.ts'

export { allowListAdmits } from './redirect-target.ts'

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

/** resolveTarget for this page's origin. */
export const resolveTarget = (raw: string | undefined, allowlist: readonly string[] = []): string | undefined =>
  resolveTargetAt(raw, allowlist, globalThis.location.origin)

/**
 * Where a `redirectTo` may send the browser: a path of this origin (or a full URL of it, made a path); another origin
 * only when the allow-list admits it. Undefined when it is refused.
 */
export function acceptedTarget (redirectTo: string, allowlist: string[]): string | undefined {
  return resolveTarget(redirectTo, allowlist)
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
  const local = resolveTarget(asked)
  const config = useHostedConfig()
  if (asked === undefined || asked === '') return { target: undefined, refused: false, checking: false, asked: undefined }
  if (local !== undefined) return { target: local, refused: false, checking: false, asked }
  if (!config) return { target: undefined, refused: false, checking: true, asked }
  // Without the allow-list nothing on another origin can be trusted: refused, and the sign-in still works to /account.
  const target = config.ok ? acceptedTarget(asked, config.data.redirectAllowlist) : undefined
  return { target, refused: target === undefined, checking: false, asked, problem: config.ok ? undefined : config.problem }
}

/** Whether a target leaves this origin (then the sign-in is handed over with a one-time code). */
export const isOtherOrigin = (target: string) => resolveTarget(target) === undefined

/**
 * After a sign-in: to `target` (another origin gets a one-time code to exchange, never the tokens), else /account.
 * Answers the problem when the handoff to another origin was refused (the session stays; the page shows why).
 */
export async function finishSignIn (navigate: NavigateFunction, target: string | undefined): Promise<Problem | undefined> {
  const local = resolveTarget(target)
  if (!target || local !== undefined) {
    navigate(local ?? '/account', { replace: true })
    return undefined
  }
  // Another origin: the auth service checks it against the allow-list again before it answers a location.
  // The app's `?codeChallenge=` on this page's address (S256, README "Send your users to the hosted login") binds the code to it.
  const { codeChallenge } = pageReturnIn(globalThis.location.search)
  const handoff = await call(client.POST('/api/v1/auth/handoff', { body: { redirectTo: target, ...(codeChallenge ? { codeChallenge } : {}) } }))
  if (!handoff.ok) return handoff.problem
  globalThis.location.assign(handoff.data.location)
  return undefined
}

/**
 * After a flow without a session (reset, verified email): to `target` with `?outcome=`, else `fallback`. `target` is
 * checked again here (resolveTarget; another origin against the allow-list); a refused one ends at `fallback`.
 */
export function finishWithOutcome (navigate: NavigateFunction, target: string | undefined, outcome: string, fallback: string): void {
  const go = (where: ReturnType<typeof outcomeDestination>) => {
    if (where === 'needs-allowlist') return
    if ('navigate' in where) navigate(where.navigate, { replace: true }) as undefined
    else globalThis.location.assign(where.assign)
  }
  const origin = globalThis.location.origin
  const first = outcomeDestination(target, outcome, fallback, origin, undefined)
  if (first !== 'needs-allowlist') return go(first)
  loadHostedConfig().then(
    config => go(outcomeDestination(target, outcome, fallback, origin, config.ok ? config.data.redirectAllowlist : [])),
    () => go({ navigate: fallback }))
}

/** This browser's sign-in nonce (kept in localStorage, renewed while in use). */
export const signInNonce = (): string => signInNonceIn(globalThis.localStorage, bytes => globalThis.crypto.getRandomValues(bytes))

/** Whether the callback's `nonce` is the one this browser keeps; a match is used up. */
export const takeSignInNonce = (nonce: string | null): boolean => takeSignInNonceFrom(globalThis.localStorage, nonce)

/**
 * The console's own return address for a sign-in that leaves the page (a magic link, an identity provider):
 * /auth/callback with this browser's nonce, which exchanges the code and then continues to `target`. Undefined when
 * the allow-list does not admit it (those methods are then not offered).
 */
export function callbackUrl (config: HostedConfig, method: 'magic-link' | 'oidc', target: string | undefined): string | undefined {
  const url = new URL('/auth/callback', globalThis.location.origin)
  url.searchParams.set('method', method)
  if (target) url.searchParams.set('redirectTo', target)
  // The app's codeChallenge goes along, for the callback page's handoff (finishSignIn).
  const { codeChallenge } = pageReturnIn(globalThis.location.search)
  if (target && codeChallenge) url.searchParams.set('codeChallenge', codeChallenge)
  if (!allowListAdmits(config.redirectAllowlist, url.href)) return undefined
  url.searchParams.set('nonce', signInNonce())
  return url.href
}
