import type { TObject } from '@sinclair/typebox'
import { ConfigError, loadDotEnv } from '../config/index.ts'
import { createLogger } from '../log/index.ts'
import type { Logger } from '../log/index.ts'
import type { ServiceDefinition } from './define-service.ts'
import { startService } from './start-service.ts'

/** Prints a configuration problem as one line per variable and exits non-zero; rethrows anything else. */
export function exitOnConfigError (err: unknown): never {
  if (err instanceof ConfigError) {
    for (const problem of err.problems) process.stderr.write(`config error: ${problem}\n`)
    process.exit(78)
  }
  throw err
}

export interface Drain {
  ms: number
  /** Takes the instance out of rotation while it still serves (readiness 503), for `ms`. */
  drain(ms: number): Promise<void>
}

/**
 * Shuts down on SIGINT/SIGTERM: on SIGTERM (an orchestrator's stop) drains
 * first, then stops accepting, finishes in-flight requests, closes
 * connections; a second signal or the timeout (counted after the drain) forces the exit.
 */
export function closeOnSignals (close: () => Promise<void>, timeoutMs: number, log: { info(msg: string): void, error(obj: object, msg: string): void }, drain?: Drain): void {
  let stopping = false
  const stop = async (signal: string) => {
    if (stopping) process.exit(1)
    stopping = true
    log.info(`${signal}: shutting down`)
    // Ctrl-C is a person waiting; SIGTERM is a rolling restart whose callers must move first.
    if (signal === 'SIGTERM' && drain && drain.ms > 0) await drain.drain(drain.ms)
    setTimeout(() => { log.error({}, 'shutdown timed out'); process.exit(1) }, timeoutMs).unref()
    close().then(() => process.exit(0), (err: unknown) => { log.error({ err }, 'shutdown failed'); process.exit(1) })
  }
  process.on('SIGINT', () => { stop('SIGINT') })
  process.on('SIGTERM', () => { stop('SIGTERM') })
}

/** The body of a service's `main.ts`: one service in this process, configured from the environment. */
export async function runStandalone<S extends TObject> (definition: ServiceDefinition<S>, given?: Logger): Promise<void> {
  loadDotEnv()
  // The launcher passes its own (readable at a terminal); otherwise JSON lines.
  const log = given ?? createLogger(process.env.LOG_LEVEL || 'info')
  try {
    const running = await startService(definition, { env: process.env, log })
    log.info({ url: running.url }, `${definition.name} service listening`)
    closeOnSignals(running.close, running.ctx.config.SHUTDOWN_TIMEOUT_MS, log, { ms: running.ctx.config.SHUTDOWN_DRAIN_MS, drain: running.drain })
  } catch (err) {
    exitOnConfigError(err)
  }
}
