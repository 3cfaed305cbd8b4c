import { after, before } from 'node:test'
import { createLogger } from '@app/kit/log'
import type { Logger } from '@app/kit/log'
import { openTestBackends, testEnv } from '@app/kit/testing'
import type { TestBackends } from '@app/kit/testing'
import { ConfigError } from '@app/kit/config'
import { startPlatform } from '@app/platform'
import type { Platform } from '@app/platform'

export interface PlatformOptions {
  /** Where the platform logs (default: silent, or TEST_LOG_LEVEL to stdout). */
  log?: Logger
}

/**
 * startPlatform on free ports, started once more when another platform of the same run (test files run two at
 * a time) took one of its internal ports between their choice and its service's listen: the start then fails
 * with that one line and has closed what it opened, and a second start chooses its ports anew.
 */
export async function startPlatformOnFreePorts (options: Omit<Parameters<typeof startPlatform>[0], 'ports'>): Promise<Platform> {
  try {
    return await startPlatform({ ...options, ports: 'auto' })
  } catch (err) {
    if (!(err instanceof ConfigError && err.message.includes('was taken by another program while the platform started'))) throw err
    return await startPlatform({ ...options, ports: 'auto' })
  }
}

/** The whole platform in this process on free ports, on the real servers when their URLs are set. */
export function usePlatform (overrides: Record<string, string> = {}, options: PlatformOptions = {}) {
  const state = {} as { platform: Platform, backends: TestBackends | undefined }
  before(async () => {
    state.backends = await openTestBackends()
    const env = testEnv(state.backends, { USER_ARGON2_MEMORY_KIB: '1024', USER_ARGON2_TIME_COST: '1', ...overrides })
    state.platform = await startPlatformOnFreePorts({
      env,
      log: options.log ?? createLogger(process.env.TEST_LOG_LEVEL ?? 'silent'),
      shared: {
        ...(state.backends.cluster ? { cluster: state.backends.cluster } : {}),
        cache: state.backends.cache.cache,
        bus: state.backends.bus.bus
      }
    })
  })
  after(async () => {
    // The platform closed first, so no service is still writing (a test may already have stopped one); then the
    // backends' cleanup drops every schema under their prefix. A start that failed has no platform: the backends
    // still go, with whatever the services it started had migrated.
    try {
      await state.platform?.close()
    } finally {
      await state.backends?.cleanup()
    }
  })
  return {
    get url () { return state.platform.gatewayUrl },
    get platform () { return state.platform },
    async json (method: string, path: string, body?: unknown, headers: Record<string, string> = {}) {
      const res = await fetch(`${state.platform.gatewayUrl}${path}`, {
        method,
        headers: { ...(body === undefined ? {} : { 'content-type': 'application/json' }), ...headers },
        body: body === undefined ? null : JSON.stringify(body)
      })
      const text = await res.text()
      return { status: res.status, headers: res.headers, body: text ? JSON.parse(text) : undefined }
    }
  }
}
