// Latency at a fixed offered rate, open loop: request i is due at start + i / rate whatever
// the server is doing, sent at the first timer tick at or after that (timers tick per
// millisecond), and timed from then to the end of its answer. Sending never waits for an answer,
// so a slow server cannot slow the offered rate down (no coordinated omission); a request that
// finds every connection busy waits in the pool's queue, inside its time. autocannon's overallRate is not this: each
// connection fires back to back until its per-second budget is spent, then idles until the next
// second, so "half the rate" is full load for half of each second and its p50 is a queue's.
import { Pool } from 'undici'

export interface PacedRequest {
  method?: 'GET' | 'POST'
  path: string
  headers?: Record<string, string>
}

export interface PacedOptions {
  url: string
  /** Cycled through in order; the url's path when absent. */
  requests?: PacedRequest[]
  /** Seconds measured, after one second of warm-up at the same rate. */
  duration: number
  /** Upper bound on concurrent requests; enough that the generator never waits for a socket. */
  connections?: number
}

export interface PacedLatency {
  /** Requests per second offered. */
  rate: number
  /** Answered per second in the measured window. */
  achieved: number
  /** Percentiles of every 2xx latency from its send, in milliseconds. */
  p50: number
  p99: number
  errors: number
  non2xx: number
}

const percentile = (sorted: number[], p: number) => sorted.length === 0 ? 0 : sorted[Math.min(sorted.length - 1, Math.floor(p * sorted.length))]!
const WARM_UP_SECONDS = 1

export async function pacedLatency (rate: number, options: PacedOptions): Promise<PacedLatency> {
  const target = new URL(options.url)
  const requests = options.requests ?? [{ path: `${target.pathname}${target.search}` }]
  const pool = new Pool(target.origin, { connections: options.connections ?? 64, pipelining: 1 })
  const interval = 1000 / rate
  const total = Math.round(rate * (WARM_UP_SECONDS + options.duration))
  const measuredFrom = Math.round(rate * WARM_UP_SECONDS)
  const times: number[] = []
  let errors = 0
  let non2xx = 0
  const pending = new Set<Promise<void>>()

  const send = (index: number) => {
    const { method = 'GET', path, headers } = requests[index % requests.length]!
    const sentAt = performance.now()
    const exchange = pool.request({ method, path, headers })
      .then(async ({ statusCode, body }) => {
        await body.dump()
        if (index < measuredFrom) return
        if (statusCode >= 200 && statusCode < 300) times.push(performance.now() - sentAt)
        else non2xx++
      }, () => { if (index >= measuredFrom) errors++ })
      .finally(() => pending.delete(exchange))
    pending.add(exchange)
  }

  const start = performance.now()
  let sent = 0
  await new Promise<void>(resolve => {
    const tick = () => {
      const due = Math.min(total, Math.floor((performance.now() - start) / interval) + 1)
      for (; sent < due; sent++) send(sent)
      if (sent >= total) return resolve()
      setTimeout(tick, Math.max(0, start + sent * interval - performance.now()))
    }
    tick()
  })
  await Promise.all(pending)
  await pool.close()

  times.sort((a, b) => a - b)
  const round = (ms: number) => Math.round(ms * 1000) / 1000
  return {
    rate,
    achieved: Math.round(times.length / options.duration),
    p50: round(percentile(times, 0.5)),
    p99: round(percentile(times, 0.99)),
    errors,
    non2xx
  }
}
