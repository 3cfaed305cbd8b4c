import type { Job, JobResult } from '../load/job.ts'

/** The flows the bench knows; each side has those it can do. */
export const FLOWS = {
  'sign-up': 'sign-up (email + password)',
  login: 'password login',
  read: 'authenticated read (`GET /users/me` / get-session)',
  'phone-send': 'phone OTP send (`auth/phone/signup` / send-otp)',
  'otp-send': 'OTP send (`otp/generate` / send-otp)',
  'phone-verify': 'phone verify, new number (user + session)',
  refresh: 'refresh (rotation)',
  order: 'order create (`POST /orders`)'
} as const
export type FlowName = keyof typeof FLOWS

export interface Flow {
  /** The next run's job; may do set-up work first (fresh codes, fresh access tokens). */
  job(duration: number): Promise<Job>
  /** What the run left (the refresh pool). */
  after?(result: JobResult): void
  /** False for flows that consume prepared state (codes): no warm-up run. */
  warmUp?: boolean
}

export interface Side {
  key: string
  title: string
  flows: Partial<Record<FlowName, Flow>>
  /** Process ids and names, for peak RSS. */
  processes(): Array<{ name: string, pid: number }>
  /** Waits until its asynchronous pipeline is idle; the time that took in ms (undefined: no pipeline). */
  drain(): Promise<number | undefined>
  stop(): Promise<void>
}

let nextNumber = Math.floor(Math.random() * 1_000_000) * 4
/** Distinct valid San Francisco numbers (exchange 2xx-9xx), never handed out twice in a run. */
export function freshNumbers (count: number): string[] {
  const start = nextNumber
  nextNumber += count
  return Array.from({ length: count }, (_, i) => {
    const n = start + i
    return `+1415${2 + (Math.floor(n / 1_000_000) % 8)}${String(n % 1_000_000).padStart(6, '0')}`
  })
}

/** Runs `task` over `items`, `concurrency` at a time. */
export async function inBatches<T, R> (items: T[], concurrency: number, task: (item: T) => Promise<R>): Promise<R[]> {
  const results: R[] = []
  for (let i = 0; i < items.length; i += concurrency) results.push(...await Promise.all(items.slice(i, i + concurrency).map(task)))
  return results
}

export const PASSWORD = 'correct horse battery staple'
