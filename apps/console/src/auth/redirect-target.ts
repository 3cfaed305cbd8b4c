// Where the console may send the browser, and the sign-in nonce: plain functions of their inputs (no DOM), so
// that they are tested as they are (test/console/redirect-target.test.ts). return-to.ts binds them to the page.

import { returnAddressAdmitted } from '@app/contracts/return-addresses'

/** As the auth service decides: the shared return-address rule (an entry's origin, and its path or below). */
export const allowListAdmits = returnAddressAdmitted

/** Characters a browser drops or reads as a slash while parsing a URL (tab, CR, LF, other controls) and backslashes. */
// eslint-disable-next-line no-control-regex -- matching control characters is the point
const UNSAFE = /[\u0000-\u001F\u007F-\u009F\\]/

/** A parsed same-origin URL as the path to navigate to; undefined when its path would be read as another host. */
export function localPathOf (url: URL): string | undefined {
  let decoded: string
  try {
    decoded = decodeURIComponent(url.pathname)
  } catch {
    return undefined
  }
  // `//host` or `/\host` (also as `/%2F` or `/%5C`) is another host to a browser or to a router that decodes.
  if (/^\/[/\\]/.test(url.pathname) || /^\/[/\\]/.test(decoded) || UNSAFE.test(decoded)) return undefined
  return `${url.pathname}${url.search}${url.hash}`
}

/**
 * The one check for every place the console sends the browser to (`redirectTo`, a remembered return, a handoff):
 * the value is parsed against this origin; on this origin it becomes the parsed URL's path, query and fragment
 * (never `//host`); another origin only as an absolute http(s) URL that the allow-list admits (the auth service's
 * rule, redirect-allowlist.ts), answered as the parsed URL. Control characters and backslashes anywhere, a user
 * part, and other schemes (`javascript:`, `data:`) are refused. Undefined when refused.
 */
export function resolveTarget (raw: string | undefined, allowlist: readonly string[], origin: string): string | undefined {
  if (!raw || UNSAFE.test(raw)) return undefined
  const local = raw.startsWith('/')
  if (!local && !/^https?:\/\//i.test(raw)) return undefined
  let url: URL
  try {
    url = new URL(raw, origin)
  } catch {
    return undefined
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') return undefined
  if (url.username || url.password) return undefined
  if (url.origin === origin) return localPathOf(url)
  if (local) return undefined
  return allowListAdmits(allowlist, url.href) ? url.href : undefined
}

/** Where a flow without a session ends (finishWithOutcome): `target` checked again, with `?outcome=` added. */
export function outcomeDestination (target: string | undefined, outcome: string, fallback: string, origin: string, allowlist: readonly string[] | undefined):
  { navigate: string } | { assign: string } | 'needs-allowlist' {
  const checked = resolveTarget(target, allowlist ?? [], origin)
  if (!checked) {
    // Only an absolute http(s) URL of another origin can be one the allow-list admits.
    if (allowlist === undefined && target && /^https?:\/\//i.test(target) && URL.parse(target)?.origin !== origin) return 'needs-allowlist'
    return { navigate: fallback }
  }
  const url = new URL(checked, origin)
  url.searchParams.set('outcome', outcome)
  if (url.origin === origin) return { navigate: localPathOf(url) ?? fallback }
  return { assign: url.href }
}

// A sign-in that leaves the page (a magic link, an identity provider) comes back to /auth/callback with a code that
// anyone holding it could spend. So that a code someone else started cannot be pushed into this browser (login CSRF),
// the return address carries a random nonce that this browser keeps (localStorage: a mailed link often opens in
// a new tab); the callback spends a code only when the nonce it brings is the one kept here.
export const NONCE_KEY = 'gatehouse.signin.nonce'
const NONCE_TTL_MS = 60 * 60_000

export interface KeptValues { getItem: (key: string) => string | null, setItem: (key: string, value: string) => void, removeItem: (key: string) => void }

function keptNonce (storage: KeptValues, now: number): string | undefined {
  try {
    const kept = JSON.parse(storage.getItem(NONCE_KEY) ?? 'null') as { value?: unknown, until?: unknown } | null
    if (kept && typeof kept.value === 'string' && /^[0-9a-f]{32}$/.test(kept.value) && typeof kept.until === 'number' && kept.until > now) return kept.value
  } catch {
    // Unreadable: none.
  }
  return undefined
}

/** This browser's sign-in nonce: the kept one while it is fresh (its life renewed), else a new one from `random`. */
export function signInNonceIn (storage: KeptValues, random: (bytes: Uint8Array) => Uint8Array, now: number = Date.now()): string {
  const value = keptNonce(storage, now) ?? Array.from(random(new Uint8Array(16)), b => b.toString(16).padStart(2, '0')).join('')
  try {
    storage.setItem(NONCE_KEY, JSON.stringify({ value, until: now + NONCE_TTL_MS }))
  } catch {
    // Storage refused: the callback will refuse the code, and says so.
  }
  return value
}

/** Whether `nonce` (from the callback's address) is the one this browser keeps; a match is used up. */
export function takeSignInNonceFrom (storage: KeptValues, nonce: string | null, now: number = Date.now()): boolean {
  const kept = keptNonce(storage, now)
  const ok = !!nonce && kept !== undefined && kept === nonce
  if (ok) {
    try {
      storage.removeItem(NONCE_KEY)
    } catch {
      // Nothing to forget.
    }
  }
  return ok
}
