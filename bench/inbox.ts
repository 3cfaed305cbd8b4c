import type { Db } from '@app/kit/db'

export interface Landed {
  recipient: string
  text: string
  createdAt: Date
}

/** What the dev inbox captured since `since` (for `recipient` only, when given), read from its table (the HTTP route pages at 500). */
export async function landedSince (notificationDb: Db, since: Date, recipient?: string): Promise<Landed[]> {
  const { rows } = await notificationDb.query<{ recipient: string, text: string, created_at: Date }>(
    `select recipient, text, created_at from dev_inbox where created_at >= $1${recipient === undefined ? '' : ' and recipient = $2'}`,
    recipient === undefined ? [since] : [since, recipient])
  return rows.map(r => ({ recipient: r.recipient, text: r.text, createdAt: r.created_at }))
}

export function percentile (values: number[], p: number): number {
  if (values.length === 0) return Number.NaN
  const sorted = [...values].sort((a, b) => a - b)
  return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)]!
}

export interface LatencyResult {
  flow: string
  samples: number
  p50: number
  p99: number
  /** Orders sent but never confirmed in the inbox within the wait (refused ones included). */
  missing: number
}
