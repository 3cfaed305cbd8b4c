import { Counter, Gauge } from '@app/kit/metrics'
import type { Registry } from '@app/kit/metrics'
import type { Logger } from '@app/kit/log'
import type { VerifyResult } from './audit-service.ts'

export interface ChainVerifyJobOptions {
  verify: () => Promise<VerifyResult>
  registry: Registry
  log: Pick<Logger, 'info' | 'error'>
  /** Between the end of one walk and the start of the next; 0 never runs it. */
  intervalMs: number
  now: () => Date
}

export interface ChainVerifyJob {
  /** First walk right away, then every interval (timers do not keep the process alive). */
  start(): void
  /** One walk now (or the one in progress), updating the gauges. */
  runNow(): Promise<VerifyResult | undefined>
  /** Stops the timer and waits for a walk in progress. */
  stop(): Promise<void>
}

/**
 * Walks the whole hash chain periodically (as GET /api/v1/audit/verify does)
 * and publishes the result: `gatehouse_audit_chain_broken` 1 when an entry
 * does not continue the chain, the time of the last finished walk, and the
 * entries it checked. A walk that could not finish (database away) counts as
 * a failure and leaves the last result standing.
 */
export function createChainVerifyJob (options: ChainVerifyJobOptions): ChainVerifyJob {
  const { registry, log } = options
  const broken = new Gauge({ name: 'gatehouse_audit_chain_broken', help: 'Result of the last audit chain walk: 1 when an entry does not continue the hash chain, 0 when all verified', registers: [registry] })
  const lastRun = new Gauge({ name: 'gatehouse_audit_chain_last_verify_timestamp_seconds', help: 'Unix time the last audit chain walk finished; 0 before the first', registers: [registry] })
  const checked = new Gauge({ name: 'gatehouse_audit_chain_verified_entries', help: 'Entries the last audit chain walk checked', registers: [registry] })
  const failures = new Counter({ name: 'gatehouse_audit_chain_verify_failures_total', help: 'Audit chain walks that could not finish (the database was unreachable, say)', registers: [registry] })
  let timer: NodeJS.Timeout | undefined
  let running: Promise<VerifyResult | undefined> | undefined
  let stopped = false

  async function walk (): Promise<VerifyResult | undefined> {
    try {
      const result = await options.verify()
      broken.set(result.ok ? 0 : 1)
      checked.set(result.checked)
      lastRun.set(options.now().getTime() / 1000)
      if (!result.ok) log.error({ firstBroken: result.firstBroken, checked: result.checked }, 'audit chain broken')
      return result
    } catch (err) {
      failures.inc()
      log.error({ err }, 'audit chain verification could not finish')
      return undefined
    }
  }

  function runNow (): Promise<VerifyResult | undefined> {
    running ??= walk().finally(() => { running = undefined })
    return running
  }

  function schedule (ms: number): void {
    if (stopped || options.intervalMs <= 0) return
    // runNow never rejects: a failed walk is counted and logged inside it.
    timer = setTimeout(() => { runNow().then(() => schedule(options.intervalMs), () => {}) }, ms)
    timer.unref()
  }

  return {
    start: () => schedule(0),
    runNow,
    async stop () {
      stopped = true
      clearTimeout(timer)
      await running
    }
  }
}
