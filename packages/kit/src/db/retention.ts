import { quoteIdent } from './db.ts'

/**
 * How long rows of one kind are kept once they stopped mattering. The job
 * removes rows for which `expired` holds, with `$1` bound to the cut-off
 * (the clock's now minus `keepHours`).
 */
export interface RetentionRule {
  /** `<table>.<kind>`, for logs. */
  name: string
  table: string
  /** A condition on the table's columns; `$1` is the cut-off timestamp. Back it with an index. */
  expired: string
  keepHours: number
  /**
   * Strips the rows instead of deleting them: a SET list such as
   * `idempotency_key = null`. It must make `expired` false, or the job would
   * find the same rows again and again.
   */
  clear?: string
}

const HOUR_MS = 3_600_000

export function cutoff (rule: RetentionRule, now: Date): Date {
  return new Date(now.getTime() - rule.keepHours * HOUR_MS)
}

/**
 * One batch of at most `$2` rows. `skip locked` lets several instances run it
 * at once on disjoint rows, and never waits on a row a request is changing;
 * `ctid` addresses any table the same way, whatever its key.
 */
export function retentionStatement (rule: RetentionRule): string {
  const table = quoteIdent(rule.table)
  const batch = `select ctid from ${table} where ${rule.expired} limit $2 for update skip locked`
  const change = rule.clear ? `update ${table} set ${rule.clear}` : `delete from ${table}`
  return `${change} where ctid = any(array(${batch}))`
}
