/** One measured run, as the load worker (load/worker.ts) takes it: plain data, sent over IPC. */
export interface Job {
  url: string
  method: 'GET' | 'POST'
  headers: Record<string, string>
  /** Seconds; a run with `bodies` may end sooner. */
  duration: number
  /** The same body on every request. */
  body?: string
  /** Each sent once, in order: the run ends early when they run out (fresh emails, numbers, codes). */
  bodies?: string[]
  /** Headers cycled request by request (a pool of sessions). */
  headerVariants?: Array<Record<string, string>>
  /**
   * Refresh rotation: each request presents a token of the pool as `{ [field]: token }`,
   * an answer's `field` goes back into it; a token is in one request at a time.
   */
  rotate?: { field: string, tokens: string[] }
}

export interface JobResult {
  /** Successful (2xx) answers per second of the run. */
  requestsPerSecond: number
  ok: number
  non2xx: number
  /** Connection errors and timeouts. */
  errors: number
  p50: number
  p99: number
  seconds: number
  /** `bodies` ran out before `duration`. */
  exhausted: boolean
  /** What is left of the rotation pool, for the next run. */
  tokens?: string[]
}
