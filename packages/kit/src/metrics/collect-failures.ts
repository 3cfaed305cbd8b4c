import { Counter } from 'prom-client'
import type { Registry } from 'prom-client'
import type { Logger } from 'pino'

/** A read made when Prometheus scrapes (a query, a broker call); undefined when it failed. */
export type ScrapeRead<T> = () => Promise<T | undefined>

const byRegistry = new WeakMap<Registry, (collector: string, read: () => Promise<unknown>, timeoutMs: number) => ScrapeRead<unknown>>()

/**
 * Wraps a scrape-time read so it never fails the whole scrape: a failure (or
 * a read slower than `timeoutMs`) is logged and counted in
 * `gatehouse_metrics_collect_failures_total{collector}`, and the gauges fed by
 * it keep their last value. Concurrent calls share one read, and the failure
 * counter makes the reads itself when it is collected, so a failure shows in
 * the same scrape as the gauges it left stale.
 */
export function scrapeRead<T> (registry: Registry, log: Logger | undefined, collector: string, read: () => Promise<T>, timeoutMs = 2000): ScrapeRead<T> {
  let register = byRegistry.get(registry)
  if (!register) {
    const reads: Array<ScrapeRead<unknown>> = []
    const failures = new Counter({
      name: 'gatehouse_metrics_collect_failures_total',
      help: 'Scrape-time reads (the outbox query, dead-letter counts) that failed or timed out; their gauges kept the previous value',
      labelNames: ['collector'] as const,
      registers: [registry],
      async collect () { await Promise.all(reads.map(r => r())) }
    })
    register = (name, fn, ms) => {
      failures.inc({ collector: name }, 0)
      let current: Promise<unknown> | undefined
      const shared: ScrapeRead<unknown> = () => {
        current ??= withTimeout(fn(), ms, name)
          .catch((err: unknown) => {
            failures.inc({ collector: name })
            log?.warn({ err, collector: name }, 'a metric could not be read at scrape time')
            return undefined
          })
          .finally(() => { current = undefined })
        return current
      }
      reads.push(shared)
      return shared
    }
    byRegistry.set(registry, register)
  }
  return register(collector, read, timeoutMs) as ScrapeRead<T>
}

function withTimeout<T> (work: Promise<T>, ms: number, what: string): Promise<T> {
  let timer: NodeJS.Timeout | undefined
  const timeout = new Promise<never>((_resolve, reject) => {
    timer = setTimeout(() => reject(new Error(`reading ${what} took longer than ${ms} ms`)), ms)
    timer.unref()
  })
  return Promise.race([work, timeout]).finally(() => clearTimeout(timer))
}
