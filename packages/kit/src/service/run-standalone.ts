import type { TObject } from '@sinclair/typebox'
import { ConfigError, loadDotEnv } from '../config/index.ts'
import { createLogger } from '../log/index.ts'
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

/**
 * Shuts down on SIGINT/SIGTERM: stops accepting, drains in-flight requests,
 * closes connections; a second signal or the timeout forces the exit.
 */
export function closeOnSignals (close: () => Promise<void>, timeoutMs: number, log: { info(msg: string): void, error(obj: object, msg: string): void }): void {
  let stopping = false
  const stop = (signal: string) => {
    if (stopping) process.exit(1)
    stopping = true
    log.info(`${signal}: shutting down`)
    setTimeout(() => { log.error({}, 'shutdown timed out'); process.exit(1) }, timeoutMs).unref()
    close().then(() => process.exit(0), (err: unknown) => { log.error({ err }, 'shutdown failed'); process.exit(1) })
  }
  process.once('SIGINT', () => stop('SIGINT'))
  process.once('SIGTERM', () => stop('SIGTERM'))
}

/** The body of a service's `main.ts`: one service in this process, configured from the environment. */
export async function runStandalone<S extends TObject> (definition: ServiceDefinition<S>): Promise<void> {
  loadDotEnv()
  const log = createLogger(process.env.LOG_LEVEL || 'info')
  try {
    const running = await startService(definition, { env: process.env, log })
    log.info({ url: running.url }, `${definition.name} service listening`)
    closeOnSignals(running.close, running.ctx.config.SHUTDOWN_TIMEOUT_MS, log)
  } catch (err) {
    exitOnConfigError(err)
  }
}
