import autocannon from 'autocannon'
import type { Options, Result } from 'autocannon'

export interface FlowResult {
  flow: string
  requestsPerSecond: number
  /** Answered requests in the whole run. */
  requests: number
  p50: number
  p99: number
  errors: number
  non2xx: number
}

export async function measure (flow: string, options: Options): Promise<FlowResult> {
  const result: Result = await autocannon({ connections: 50, duration: 10, ...options })
  return {
    flow,
    requestsPerSecond: Math.round(result.requests.average),
    requests: result.requests.total,
    p50: result.latency.p50,
    p99: result.latency.p99,
    errors: result.errors + result.timeouts,
    non2xx: result.non2xx
  }
}

/** The median run by throughput, as PERFORMANCE.md asks (median of 3). */
export async function medianOf (runs: number, run: () => Promise<FlowResult>): Promise<FlowResult> {
  const results: FlowResult[] = []
  for (let i = 0; i < runs; i++) results.push(await run())
  results.sort((a, b) => a.requestsPerSecond - b.requestsPerSecond)
  return results[Math.floor(results.length / 2)]!
}
