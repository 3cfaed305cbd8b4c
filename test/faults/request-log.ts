import { writeFileSync } from 'node:fs'

export const FLOWS = ['register', 'login', 'me', 'order', 'otp', 'refresh', 'logout'] as const
export type Flow = typeof FLOWS[number]

/** What each flow answers when it works. */
export const EXPECTED_STATUS: Record<Flow, number> = { register: 201, login: 200, me: 200, order: 201, otp: 202, refresh: 200, logout: 204 }

/** One request of the client load, as the client saw it. */
export interface Sample {
  vu: number
  flow: Flow
  start: number
  end: number
  /** 0 when no answer came (connection error or client timeout). */
  status: number
  /** The body was `application/problem+json`. */
  problem: boolean
  retryAfter: string | null
  code?: string
  error?: string
  requestId?: string
}

/**
 * ok: what the flow answers when it works.
 * unavailable: a 503 problem with Retry-After, the honest answer while a backend the flow needs is away.
 * failed: anything else (a 500 or other 5xx, no answer, an unexpected 4xx, a 503 without problem or Retry-After).
 */
export type Outcome = 'ok' | 'unavailable' | 'failed'

export function outcomeOf (sample: Sample): Outcome {
  if (sample.status === EXPECTED_STATUS[sample.flow]) return 'ok'
  if (sample.status === 503 && sample.problem && sample.retryAfter !== null && /^\d+$/.test(sample.retryAfter)) return 'unavailable'
  return 'failed'
}

export function createRequestLog () {
  const samples: Sample[] = []
  return {
    samples,
    add: (sample: Sample) => { samples.push(sample) },
    /** Requests answered (or given up) in [from, to): one in flight when a fault strikes belongs to that fault. */
    endedBetween: (from: number, to: number) => samples.filter(s => s.end >= from && s.end < to),
    /** The first `ok` request of `flow` started at or after `since`. */
    firstOk: (flow: Flow, since: number) => samples.find(s => s.flow === flow && s.start >= since && outcomeOf(s) === 'ok'),
    /** The last `count` answered requests, by end time. */
    lastCompleted: (count: number) => [...samples].sort((a, b) => a.end - b.end).slice(-count),
    save: (path: string) => writeFileSync(path, samples.map(s => JSON.stringify(s)).join('\n') + '\n')
  }
}

export type RequestLog = ReturnType<typeof createRequestLog>

/** A short line per kind of failure: flow, status, code or error, how many, and the first time seen. */
export function summarize (samples: Sample[], limit = 20): string[] {
  const groups = new Map<string, { count: number, first: Sample }>()
  for (const s of samples) {
    const key = `${s.flow} ${s.status} ${s.code ?? ''} ${s.error ?? ''} retry-after=${s.retryAfter ?? '-'} problem=${s.problem}`
    const group = groups.get(key)
    if (group) group.count++
    else groups.set(key, { count: 1, first: s })
  }
  return [...groups.entries()].slice(0, limit).map(([key, { count, first }]) =>
    `${count} x ${key} (first at ${new Date(first.start).toISOString()}, vu ${first.vu}, ${first.end - first.start} ms, request ${first.requestId ?? '-'})`)
}
