import autocannon from 'autocannon'
import type { Options } from 'autocannon'

export interface PacedLatency {
  /** Requests per second asked for (autocannon's overallRate). */
  rate: number
  /** Answered per second. */
  achieved: number
  /** Exact percentiles of every 2xx response time, in milliseconds (autocannon's own histogram keeps whole ms). */
  p50: number
  p99: number
  errors: number
  non2xx: number
}

const percentile = (sorted: number[], p: number) => sorted.length === 0 ? 0 : sorted[Math.min(sorted.length - 1, Math.floor(p * sorted.length))]!

/** Latency at a fixed offered rate (open to the server's pace, not as fast as it can answer). */
export async function pacedLatency (rate: number, options: Options): Promise<PacedLatency> {
  const times: number[] = []
  // Without a callback it is both the promise of the result and the instance that emits each response.
  const run = autocannon({ connections: 50, duration: 10, ...options, overallRate: rate }) as unknown as autocannon.Instance & Promise<autocannon.Result>
  run.on('response', (_client: unknown, status: number, _bytes: number, ms: number) => {
    if (status >= 200 && status < 300) times.push(ms)
  })
  const result = await run
  times.sort((a, b) => a - b)
  const round = (ms: number) => Math.round(ms * 1000) / 1000
  return {
    rate,
    achieved: Math.round(result.requests.average),
    p50: round(percentile(times, 0.5)),
    p99: round(percentile(times, 0.99)),
    errors: result.errors + result.timeouts,
    non2xx: result.non2xx
  }
}
