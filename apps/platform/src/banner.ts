import type { Env } from '@app/kit/config'
import type { Platform } from './platform.ts'

/** Which browser origins may call the API, as the gateway decides it (security-headers.ts, corsOriginsFor). */
export function corsLine (env: Env): string {
  if (env.GATEWAY_CORS_ORIGINS?.trim()) return `${env.GATEWAY_CORS_ORIGINS.trim()} (GATEWAY_CORS_ORIGINS)`
  if (env.NODE_ENV === 'production') return 'no other origin (set GATEWAY_CORS_ORIGINS)'
  return 'any http://localhost:* and http://127.0.0.1:* page (development default; GATEWAY_CORS_ORIGINS sets the list)'
}

export function banner (platform: Platform, startedMs: number, env: Env = {}): string {
  const url = platform.gatewayUrl
  const site = platform.publicUrl
  const inbox = env.NOTIFY_DEV_INBOX === 'on' || (env.NOTIFY_DEV_INBOX !== 'off' && env.NODE_ENV !== 'production')
  const ports = [...platform.services.entries()]
    .filter(([name]) => name !== 'gateway')
    .map(([name, s]) => `${name} :${new URL(s.url).port}`).join('  ')
  return [
    '',
    '  Gatehouse is running',
    '',
    `  Console     ${site}/              sign in, account, admin`,
    ...(inbox ? [`  Dev inbox   ${site}/dev/inbox     every email and SMS it would have sent`] : []),
    `  API docs    ${site}/docs`,
    // Unset, PUBLIC_URL is this gateway by name (localhost, where passkeys work); set, the banner says where it comes from.
    `  Gateway     ${url}${env.PUBLIC_URL?.trim() ? `  (public address ${site}, PUBLIC_URL)` : ''}`,
    `  CORS        ${corsLine(env)}`,
    `  Services    ${ports}`,
    `  Backends    ${platform.backends.db}; ${platform.backends.cache} cache; ${platform.backends.bus} bus`,
    '',
    `  Ready in ${(startedMs / 1000).toFixed(1)} s. Ctrl-C stops it.`,
    ''
  ].join('\n')
}
