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

/**
 * PUBLIC_URL, checked and without a trailing slash: where people reach the
 * gateway (`https://id.example.com`, or a path below one). Unset: the
 * gateway of this machine, `http://127.0.0.1:<gateway port>`.
 */
export function publicUrlOf (env: Env, gatewayPort: number): string {
  const raw = env.PUBLIC_URL?.trim()
  if (!raw) return `http://127.0.0.1:${gatewayPort}`
  let url: URL
  try {
    url = new URL(raw)
  } catch {
    throw new ConfigError([`PUBLIC_URL must be an absolute http(s) URL like https://id.example.com (got "${raw}")`])
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') throw new ConfigError([`PUBLIC_URL must start with http:// or https:// (got "${raw}")`])
  if (url.search || url.hash || url.username || url.password) throw new ConfigError([`PUBLIC_URL must not carry a query, fragment or credentials (got "${raw}")`])
  return `${url.origin}${url.pathname.replace(/\/+$/, '')}`
}

/**
 * The environment with every link variable left unset derived from the public
 * address: the mails' reset, verification and undo links, the magic-link
 * page, the OIDC callback, the sign-in return allow-list (the platform's own
 * pages) and, for a named host, the passkeys' relying party and origin. An IP
 * address cannot be a WebAuthn relying party: there the services' own
 * development defaults (any localhost page) stay. Variables already set are
 * kept as they are. In production nothing is derived without PUBLIC_URL.
 */
export function withPublicUrl (env: Env, gatewayPort = DEFAULT_GATEWAY_PORT): Env {
  // A production deployment names its address; nothing is guessed for it (each service keeps its own defaults).
  if (env.NODE_ENV === 'production' && !env.PUBLIC_URL?.trim()) return env
  const publicUrl = publicUrlOf(env, gatewayPort)
  const derived: Env = { PUBLIC_URL: publicUrl }
  for (const [name, path] of Object.entries(PUBLIC_LINKS)) derived[name] = `${publicUrl}${path}`
  derived.AUTH_REDIRECT_ALLOWLIST = `${publicUrl}/`
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
