import type { Logger } from 'pino'
import { isBackendOutage } from '../errors/index.ts'

// A migration that meets live traffic of another instance (a rolling deploy)
// can be chosen as a deadlock victim or wait out a lock: worth another try.
const RETRYABLE_SQLSTATES = new Set(['40P01', '40001', '55P03'])

export interface StartupRetryOptions {
  /** What is being opened, for the log. */
  what: string
  /** Give up (rethrow) after this long, in milliseconds. */
  deadlineMs: number
  log: Pick<Logger, 'warn'>
  /** Everything the open can fail with is worth retrying (the broker's connect errors vary). */
  retryAny?: boolean
  sleep?: (ms: number) => Promise<void>
}

export function isRetryableAtStartup (err: unknown): boolean {
  const code = (err as { code?: unknown })?.code
  return isBackendOutage(err) || (typeof code === 'string' && RETRYABLE_SQLSTATES.has(code)) ||
    (err as { status?: unknown })?.status === 503
}

/**
 * Runs `open` until it succeeds: a service started while its database or
 * broker is briefly away (or while another instance migrates) waits for it
 * instead of exiting into a restart loop. Backoff 250 ms doubling to 5 s.
 */
export async function retryAtStartup<T> (open: () => Promise<T>, options: StartupRetryOptions): Promise<T> {
  const sleep = options.sleep ?? ((ms: number) => new Promise(resolve => setTimeout(resolve, ms)))
  const giveUpAt = Date.now() + options.deadlineMs
  for (let delay = 250; ; delay = Math.min(delay * 2, 5000)) {
    try {
      return await open()
    } catch (err) {
      const retryable = options.retryAny === true || isRetryableAtStartup(err)
      if (!retryable || Date.now() + delay > giveUpAt) throw err
      options.log.warn({ err, retryInMs: delay }, `${options.what} failed at start-up; trying again`)
      await sleep(delay)
    }
  }
}
