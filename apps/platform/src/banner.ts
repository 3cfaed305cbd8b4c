import type { Platform } from './platform.ts'

export function banner (platform: Platform, startedMs: number): string {
  const url = platform.gatewayUrl
  const ports = [...platform.services.entries()]
    .filter(([name]) => name !== 'gateway')
    .map(([name, s]) => `${name} :${new URL(s.url).port}`).join('  ')
  return [
    '',
    '  Gatehouse is running',
    '',
    `  Gateway     ${url}`,
    `  API docs    ${url}/docs`,
    `  Dev inbox   ${url}/dev/inbox`,
    `  Services    ${ports}`,
    `  Backends    ${platform.backends.db}; ${platform.backends.cache} cache; ${platform.backends.bus} bus`,
    '',
    `  Ready in ${(startedMs / 1000).toFixed(1)} s. Ctrl-C stops it.`,
    ''
  ].join('\n')
}
