import type { Logger } from 'pino'
import type { BaseConfig } from '../config/index.ts'
import type { Db } from '../db/index.ts'
import { createOutboxRelay } from '../bus/index.ts'
import type { Bus } from '../bus/index.ts'
import { registerOutboxMetrics } from '../metrics/index.ts'
import type { App } from '../http/index.ts'

export interface ServiceRelay {
  /** Starts publishing the outbox: once, and never for a stateless service. */
  start(): void
  /** Publishes what was just committed, once started (before, the first pass after start finds it). */
  wake(): void
  stop(): Promise<void>
}

/** The service's outbox relay, its metrics in the app's registry (read at scrape time or counted as they happen). */
export function createServiceRelay (options: { app: App, db: Db, bus: Bus, config: BaseConfig, log: Logger, stateful: boolean }): ServiceRelay {
  const { app, db, bus, config, log, stateful } = options
  const metrics = stateful ? registerOutboxMetrics({ registry: app.metricsRegistry, db, log }) : undefined
  const relay = createOutboxRelay({ db, bus, log, pollMs: config.OUTBOX_POLL_MS, ...(metrics ? { metrics } : {}) })
  let started = false
  return {
    start () {
      if (!stateful || started) return
      started = true
      relay.start()
    },
    wake () { if (started) relay.wake() },
    stop: () => relay.stop()
  }
}
