import { Counter, Gauge } from '@app/kit/metrics'
import type { Registry } from '@app/kit/metrics'
import type { Logger } from '@app/kit/log'
import type { Db } from '@app/kit/db'
import type { VerifyResult } from './audit-service.ts'

export interface ChainVerifyJobOptions {
  verify: () => Promise<VerifyResult>
  registry: Registry
  log: Pick<Logger, 'info' | 'error'>
  /** Between the end of one walk and the start of the next; 0 never runs it. */
  intervalMs: number
  now: () => Date
  /**
   * The audit database, shared by every instance: a walk is claimed there
   * first, so one instance walks at a time and none walks again while a walk
   * newer than `intervalMs` stands (its result is taken over instead). Without
   * it every call walks.
   */
  db?: Db
}

/** hashtext() of this names the advisory lock the claim takes: per schema, as deployments sharing a database (DB_SCHEMA_PREFIX) must not skip each other's walks. */
export const chainVerifyLockKey = (db: Db): string => `audit-chain-verify:${db.schema}`

interface LastWalk {
  walking_since: number | null
  verified_at: number | null
  ok: boolean | null
  checked: string | null
}

type Claim = { walk: true } | { walk: false, reason: 'locked' | 'walking' | 'recent', last?: LastWalk | undefined }

export interface ChainVerifyJob {
  /** First walk right away, then every interval (timers do not keep the process alive). */
  start(): void
  /**
   * One walk now (or the one in progress), updating the gauges; undefined when
   * it could not finish, or when another instance walks or walked within the
   * interval (the gauges then take that walk's result).
   */
  runNow(): Promise<VerifyResult | undefined>
  /** Stops the timer and waits for a walk in progress. */
  stop(): Promise<void>
}

/**
 * Walks the whole hash chain periodically (as GET /api/v1/audit/verify does)
 * and publishes the result: `gatehouse_audit_chain_broken` 1 when an entry
 * does not continue the chain, the time of the last finished walk, and the
 * entries it checked. A walk that could not finish (database away) counts as
 * a failure and leaves the last result standing.
 *
 * With `db`, the instances share the work: each walk is claimed in the
 * `audit_chain_verify` row under pg_try_advisory_xact_lock (held only for the
 * claim, never during the walk, so no transaction stays open and PGlite's
 * single session is not held). An instance skips when another one is
 * claiming, is walking (a claim younger than the interval), or finished a walk
 * within the interval, and publishes that walk's result as its own.
 */
export function createChainVerifyJob (options: ChainVerifyJobOptions): ChainVerifyJob {
  const { registry, log } = options
  const broken = new Gauge({ name: 'gatehouse_audit_chain_broken', help: 'Result of the last audit chain walk: 1 when an entry does not continue the hash chain, 0 when all verified', registers: [registry] })
  const lastRun = new Gauge({ name: 'gatehouse_audit_chain_last_verify_timestamp_seconds', help: 'Unix time the last audit chain walk finished; 0 before the first', registers: [registry] })
  const checked = new Gauge({ name: 'gatehouse_audit_chain_verified_entries', help: 'Entries the last audit chain walk checked', registers: [registry] })
  const failures = new Counter({ name: 'gatehouse_audit_chain_verify_failures_total', help: 'Audit chain walks that could not finish (the database was unreachable, say)', registers: [registry] })
  let timer: NodeJS.Timeout | undefined
  let running: Promise<VerifyResult | undefined> | undefined
  let stopped = false

  const { db } = options
  // After a skip because of a recent walk: when that walk's result is an interval old.
  let nextIn: number | undefined

  async function claim (): Promise<Claim> {
    if (!db) return { walk: true }
    return db.tx(async (tx) => {
      const { rows: [lock] } = await tx.query<{ got: boolean }>('select pg_try_advisory_xact_lock(hashtext($1)) as got', [chainVerifyLockKey(db)])
      if (!lock?.got) return { walk: false, reason: 'locked' }
      await tx.query('insert into audit_chain_verify (id) values (true) on conflict (id) do nothing')
      const { rows: [last] } = await tx.query<LastWalk>(`select extract(epoch from walking_since)::float8 as walking_since,
        extract(epoch from verified_at)::float8 as verified_at, ok, checked from audit_chain_verify`)
      const at = options.now().getTime()
      const within = (seconds: number | null | undefined) => seconds != null && at - seconds * 1000 < options.intervalMs
      if (within(last?.walking_since)) return { walk: false, reason: 'walking', last }
      if (within(last?.verified_at)) return { walk: false, reason: 'recent', last }
      await tx.query('update audit_chain_verify set walking_since = $1', [new Date(at).toISOString()])
      return { walk: true }
    })
  }

  function publish (ok: boolean, entries: number, at: number): void {
    broken.set(ok ? 0 : 1)
    checked.set(entries)
    lastRun.set(at)
  }

  async function walk (): Promise<VerifyResult | undefined> {
    let claimed = false
    try {
      const claimedWalk = await claim()
      if (!claimedWalk.walk) {
        const last = claimedWalk.last
        if (last?.verified_at != null && last.ok != null) publish(last.ok, Number(last.checked ?? 0), last.verified_at)
        if (claimedWalk.reason === 'recent' && last?.verified_at != null) nextIn = Math.max(0, last.verified_at * 1000 + options.intervalMs - options.now().getTime())
        log.info({ reason: claimedWalk.reason }, 'audit chain walk skipped: another instance walks or walked recently')
        return undefined
      }
      claimed = db !== undefined
      const result = await options.verify()
      const at = options.now()
      publish(result.ok, result.checked, at.getTime() / 1000)
      if (!result.ok) log.error({ firstBroken: result.firstBroken, checked: result.checked }, 'audit chain broken')
      if (db) {
        claimed = false
        await db.query('update audit_chain_verify set walking_since = null, verified_at = $1, ok = $2, checked = $3', [at.toISOString(), result.ok, result.checked])
          .catch((err: unknown) => { log.error({ err }, 'the audit chain walk\'s result could not be shared') })
      }
      return result
    } catch (err) {
      failures.inc()
      log.error({ err }, 'audit chain verification could not finish')
      // Let another instance (or the next run) walk without waiting for the claim to go stale.
      if (claimed) await db?.query('update audit_chain_verify set walking_since = null').catch(() => {})
      return undefined
    }
  }

  function runNow (): Promise<VerifyResult | undefined> {
    running ??= walk().finally(() => { running = undefined })
    return running
  }

  function schedule (ms: number): void {
    if (stopped || options.intervalMs <= 0) return
    // runNow never rejects: a failed walk is counted and logged inside it.
    timer = setTimeout(() => {
      runNow().then(() => {
        const next = nextIn ?? options.intervalMs
        nextIn = undefined
        schedule(next)
      }, () => {})
    }, ms)
    timer.unref()
  }

  return {
    start: () => schedule(0),
    runNow,
    async stop () {
      stopped = true
      clearTimeout(timer)
      await running
    }
  }
}
