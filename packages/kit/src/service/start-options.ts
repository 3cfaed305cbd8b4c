import type { Logger } from 'pino'
import type { Env } from '../config/index.ts'
import type { PgliteCluster } from '../db/index.ts'
import type { Cache } from '../cache/index.ts'
import type { Bus } from '../bus/index.ts'
import type { App } from '../http/index.ts'
import type { ServiceContext } from './define-service.ts'

/** Backends opened once by the launcher and shared by every service of the all-in-one process. */
export interface SharedBackends {
  cluster?: PgliteCluster
  cache?: Cache
  bus?: Bus
}

export interface StartOptions {
  env: Env
  shared?: SharedBackends
  log?: Logger
  /** Overrides PORT (the launcher gives each service its own). */
  port?: number
  now?: () => Date
  /**
   * Leave the outbox relay stopped until `startRelay()`: the all-in-one process
   * starts every relay once every service has subscribed its consumers, so no
   * event written during start-up (the first admin, say) finds nobody listening.
   */
  deferRelay?: boolean
  /** The level of the service's access lines (ServerOptions.accessLogLevel): `debug` behind a gateway in this process. */
  accessLogLevel?: 'info' | 'debug'
}

export interface RunningService<C = unknown> {
  app: App
  url: string
  ctx: ServiceContext<C>
  /** Starts publishing the outbox (a no-op when already started, or for a stateless service). */
  startRelay(): void
  /** Turns readiness 503 and asks clients to drop their connections, then waits `ms` while still serving (before `close()`). */
  drain(ms: number): Promise<void>
  close(): Promise<void>
}
