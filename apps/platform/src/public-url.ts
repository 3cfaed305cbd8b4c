import { isIP } from 'node:net'
import { ConfigError } from '@app/kit/config'
import type { Env } from '@app/kit/config'

/** The gateway's port when nothing says otherwise (PORT in the all-in-one process). */
export const DEFAULT_GATEWAY_PORT = 8080

/**
 * Every link the platform sends or redirects to, as a path under the public
 * address. Each variable still wins when set; these are its default.
 */
export const PUBLIC_LINKS = {
  PASSWORD_RESET_URL: '/auth/reset',
  EMAIL_VERIFICATION_URL: '/auth/verify-email',
  USER_EMAIL_CHANGE_UNDO_URL: '/api/v1/users/email-change/undo',
  AUTH_MAGIC_LINK_URL: '/api/v1/auth/magic-link/verify',
  AUTH_OIDC_CALLBACK_URL: '/api/v1/auth/oidc/{provider}/callback'
} as const

/** Where the console sends a sign-in back to (magic link, identity provider): its /auth/callback and the account pages. */
export const RETURN_PATHS = ['/auth/', '/account'] as const

/**
 * PUBLIC_URL's default outside production: this machine's gateway by name,
 * `http://localhost:<gateway port>`. The gateway on 127.0.0.1 answers there,
 * and browsers treat localhost as a secure context: passkeys work on it (the
 * auth service's development default, relying party `localhost`), never on
 * an IP address.
 */
export const localPublicUrl = (gatewayPort: number) => `http://localhost:${gatewayPort}`

/** A DNS name as URL leaves it (lower case, punycode): labels of letters, digits and inner hyphens. */
const HOST_NAME = /^(?!-)[a-z0-9-]{1,63}(?<!-)(\.(?!-)[a-z0-9-]{1,63}(?<!-))*$/

/**
 * PUBLIC_URL, checked, as an origin (no trailing slash): where people reach
 * the gateway (`https://id.example.com`). The console works only at the root
 * of its host (its assets under /console/, the API at its own origin), so a
 * path, query, fragment or user part is refused, naming PUBLIC_URL; so is a
 * host that is no DNS name or IP address. Unset: `localPublicUrl`.
 */
export function publicUrlOf (env: Env, gatewayPort: number): string {
  const raw = env.PUBLIC_URL?.trim()
  if (!raw) return localPublicUrl(gatewayPort)
  const refuse = (why: string) => new ConfigError([`PUBLIC_URL ${why} (got "${raw}")`])
  let url: URL
  try {
    url = new URL(raw)
  } catch {
    throw refuse('must be an absolute http(s) URL like https://id.example.com')
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') throw refuse('must start with http:// or https://')
  const hostname = url.hostname.replace(/^\[|\]$/g, '')
  if (!isIP(hostname) && !HOST_NAME.test(hostname)) throw refuse('has no valid host name (letters, digits, dots and inner hyphens, or an IP address)')
  // A trailing slash is the root too; `?`, `#` and `@` are refused even when empty.
  if (url.href !== `${url.origin}/` || /[?#@]/.test(raw)) {
    throw refuse('must be the root address of a host, like https://id.example.com (a trailing slash is fine): no path, query, fragment or user part, as the console works only at the root of its host')
  }
  return url.origin
}

/**
 * The environment with every link variable left unset derived from the public
 * address: the mails' reset, verification and undo links, the magic-link
 * page, the OIDC callback, the sign-in return allow-list (the console's
 * /auth/ pages and /account, where its sign-ins come back to) and, for a
 * named host other than localhost, the passkeys' relying party and origin
 * (in production too: PUBLIC_URL turns passkeys on there). On localhost (the
 * default) the auth service's own development default stays: relying party
 * `localhost`, any localhost page; an IP address cannot be a relying party.
 * With PUBLIC_URL unset the allow-list also admits the same pages at
 * `http://127.0.0.1:<port>`, the gateway's other local address. Variables
 * already set are kept as they are. In production nothing is derived
 * without PUBLIC_URL.
 */
export function withPublicUrl (env: Env, gatewayPort = DEFAULT_GATEWAY_PORT): Env {
  // A production deployment names its address; nothing is guessed for it (each service keeps its own defaults).
  if (env.NODE_ENV === 'production' && !env.PUBLIC_URL?.trim()) return env
  const publicUrl = publicUrlOf(env, gatewayPort)
  const derived: Env = { PUBLIC_URL: publicUrl }
  for (const [name, path] of Object.entries(PUBLIC_LINKS)) derived[name] = `${publicUrl}${path}`
  const sites = env.PUBLIC_URL?.trim() ? [publicUrl] : [publicUrl, `http://127.0.0.1:${gatewayPort}`]
  derived.AUTH_REDIRECT_ALLOWLIST = sites.flatMap(site => RETURN_PATHS.map(path => `${site}${path}`)).join(',')
  const { hostname, origin } = new URL(publicUrl)
  if (!isIP(hostname.replace(/^\[|\]$/g, '')) && hostname !== 'localhost') {
    derived.AUTH_WEBAUTHN_RP_ID = hostname
    derived.AUTH_WEBAUTHN_ORIGINS = origin
  }
  // PUBLIC_URL itself as checked (no trailing slash); the others only where unset.
  const out: Env = { ...env, PUBLIC_URL: publicUrl }
  for (const [name, value] of Object.entries(derived)) {
    if (!out[name]) out[name] = value
  }
  return out
}
