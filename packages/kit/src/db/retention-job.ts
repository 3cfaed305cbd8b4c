import pino from 'pino'
import type { Logger } from 'pino'
import { createWakeLoop } from '../bus/wake-loop.ts'
import type { Db } from './db.ts'
import { cutoff, retentionStatement } from './retention.ts'
import type { RetentionRule } from './retention.ts'

export interface RetentionJobOptions {
  db: Db
  rules: RetentionRule[]
  now: () => Date
  log?: Logger
  /** How often the job looks for rows past retention, in milliseconds. */
  intervalMs: number
  /** Rows removed per statement (default 500): short statements keep row locks and PGlite's one session brief. */
  batchSize?: number
}

export interface RetentionJob {
  /** Runs a pass now and then every `intervalMs`; the timer does not keep the process alive. */
  start(): void
  /** Stops the timer and waits for the batch in progress. */
  stop(): Promise<void>
  /** Removes every row past retention now, batch after batch; returns the count per rule. */
  runOnce(): Promise<Record<string, number>>
}

/** Enforces retention rules in small batches, safe with any number of instances doing the same. */
export function createRetentionJob (options: RetentionJobOptions): RetentionJob {
  const { db, rules, now } = options
  const log = options.log ?? pino({ level: 'silent' })
  const batchSize = options.batchSize ?? 500
  const statements = new Map(rules.map(rule => [rule, retentionStatement(rule)]))

  async function batch (rule: RetentionRule, at: Date): Promise<number> {
    const { rowCount } = await db.query(statements.get(rule)!, [cutoff(rule, at), batchSize])
    if (rowCount > 0) log.debug({ rule: rule.name, rows: rowCount }, 'retention removed rows')
    return rowCount
  }

  /** One batch of each rule that may still have work; returns the rules whose batch was full. */
  async function pass (pending: RetentionRule[], at: Date, removed: Record<string, number>): Promise<RetentionRule[]> {
    const full: RetentionRule[] = []
    for (const rule of pending) {
      try {
        const rows = await batch(rule, at)
        removed[rule.name] = (removed[rule.name] ?? 0) + rows
        if (rows === batchSize) full.push(rule)
      } catch (err) {
        // One failing rule (a lock timeout, a missing index) must not starve the others.
        log.warn({ err, rule: rule.name }, 'retention batch failed; the next run retries')
      }
    }
    return full
  }

  let pending: RetentionRule[] = []
  let at = now()
  const loop = createWakeLoop({
    pollMs: options.intervalMs,
    pass: async () => {
      if (pending.length === 0) {
        pending = rules
        at = now()
      }
      pending = await pass(pending, at, {})
      return pending.length > 0
    },
    onError: err => log.warn({ err }, 'retention pass failed; the next run retries')
  })

  return {
    start: loop.start,
    stop: loop.stop,
    async runOnce () {
      const removed: Record<string, number> = Object.fromEntries(rules.map(rule => [rule.name, 0]))
      const at = now()
      let todo = rules
      while (todo.length > 0) todo = await pass(todo, at, removed)
      return removed
    }
  }
}
