import type { Logger } from 'pino'
import { createWakeLoop } from '@app/kit/bus'
import type { Db } from '@app/kit/db'
import { isBackendOutage } from '@app/kit/errors'
import type { EventEmitter } from '@app/kit/service'
import type { Providers } from '../providers/create-providers.ts'
import { errorText, permanent } from '../providers/provider.ts'
import type { SendOutcome } from '../providers/provider.ts'
import type { Composer } from './compose.ts'
import type { Delivery, DeliveryStore } from './delivery-store.ts'
import { createSentRecorder, eventData } from './record-sent.ts'
import { retryDelayMs } from './retry-policy.ts'
import type { RetryPolicy } from './retry-policy.ts'
import type { DeliveryMetrics } from './delivery-metrics.ts'
import { inDeliveryTrace, sendInSpan } from '../providers/traced-send.ts'
import type { Tracing } from '@app/kit/tracing'

export interface DeliveryWorkerDeps {
  db: Db
  store: DeliveryStore
  providers: Providers
  compose: Composer
  events: EventEmitter
  log: Logger
  /** How often to look for due rows without being woken, in milliseconds. */
  pollMs: number
  /** Messages in flight at once. */
  concurrency: number
  /** How long a claimed row stays reserved, in milliseconds; must outlast a send. */
  leaseMs: number
  retry: RetryPolicy
  random?: () => number
  metrics?: DeliveryMetrics
  /** A span per provider send, in the trace the delivery was queued in. */
  tracing?: Tracing
}

export interface DeliveryWorker {
  /** Starts polling (the timer does not keep the process alive) and runs a first pass. */
  start(): void
  /** Looks for due rows now: call it from `tx.onCommit` after queueing. */
  wake(): void
  /** Stops claiming and waits for the sends in flight to be recorded. */
  stop(): Promise<void>
}

/**
 * Sends queued deliveries outside any transaction, like the kit's outbox
 * relay: a claim (`for update skip locked`) leases rows, the provider call
 * happens with no lock or connection held, and one short transaction records
 * the outcome together with its `notification.sent` / `notification.failed`
 * event (accepted sends that finish together share it: record-sent.ts). Up to
 * `concurrency` sends are in flight; a finished one makes room for the next
 * claim, so one slow provider call does not hold back a batch.
 */
export function createDeliveryWorker (deps: DeliveryWorkerDeps): DeliveryWorker {
  const { db, store, providers, compose, events, log } = deps
  const random = deps.random ?? Math.random
  const recordSent = createSentRecorder({ db, store, events })
  const inFlight = new Set<Promise<void>>()
  const retryTimers = new Set<NodeJS.Timeout>()
  let saturated = false
  let stopping = false

  /**
   * Records the outcome of a send that happened. While the database is away the
   * record is tried again (backing off) as long as the row's lease holds: given
   * up, the lease would end and the message go out a second time.
   */
  async function recordWhileLeased (write: () => Promise<void>, leasedUntil: number): Promise<void> {
    for (let waitMs = 250; ; waitMs = Math.min(waitMs * 2, 4000)) {
      try {
        return await write()
      } catch (err) {
        if (stopping || !isBackendOutage(err) || Date.now() + waitMs >= leasedUntil) throw err
        await new Promise(resolve => setTimeout(resolve, waitMs))
      }
    }
  }

  async function attempt (d: Delivery): Promise<SendOutcome> {
    // Claimed more often than allowed: each earlier worker died mid-send (see CLAIM).
    if (d.attempts > d.maxAttempts) return permanent('attempts used up: the worker sending it stopped each time')
    let message
    try {
      message = compose(d)
    } catch (err) {
      return permanent(errorText(`cannot render: ${(err as Error).message}`))
    }
    const provider = providers[d.channel]
    const started = performance.now()
    try {
      return await sendInSpan(deps.tracing, provider, message, d)
    } finally {
      deps.metrics?.sendSeconds(d.channel, provider.name, (performance.now() - started) / 1000)
    }
  }

  function retryLater (ms: number): void {
    const t = setTimeout(() => { retryTimers.delete(t); wake() }, ms)
    t.unref()
    retryTimers.add(t)
  }

  async function record (d: Delivery, outcome: SendOutcome, leasedUntil: number): Promise<void> {
    const provider = providers[d.channel].name
    if (outcome.ok) {
      const sent = { delivery: d, provider, messageId: outcome.messageId }
      await recordWhileLeased(() => recordSent(sent), leasedUntil)
      deps.metrics?.outcome(d.channel, provider, 'sent')
      return
    }
    const context = { deliveryId: d.id, channel: d.channel, template: d.template, attempts: d.attempts, error: outcome.error }
    if (outcome.retryable && d.attempts < d.maxAttempts) {
      const delay = retryDelayMs(d.attempts, deps.retry, outcome.retryAfterMs, random)
      if (await store.markFailed(d, provider, outcome.error, delay)) retryLater(delay)
      deps.metrics?.outcome(d.channel, provider, 'retry')
      log.warn({ ...context, retryInMs: delay }, 'notification send failed; it will be retried')
      return
    }
    await db.tx(async (tx) => {
      if (await store.markDead(d, provider, outcome.error, tx)) {
        await events.emit(tx, 'notification.failed', { ...eventData(d, provider), permanent: !outcome.retryable, error: outcome.error }, d.userId ?? undefined)
      }
    })
    deps.metrics?.outcome(d.channel, provider, 'failed')
    log.error(context, outcome.retryable ? 'notification dead: attempts used up' : 'notification dead: permanent failure, not retried')
  }

  function launch (d: Delivery, leasedUntil: number): void {
    // In the trace the delivery was queued in: its send, its record and its notification.sent event.
    const running: Promise<void> = inDeliveryTrace(deps.tracing, d, () => attempt(d).then(outcome => record(d, outcome, leasedUntil)))
      // The row stays leased; once the lease ends another pass takes it again.
      .catch(err => log.error({ err, deliveryId: d.id }, 'recording a notification send failed'))
      .finally(() => {
        inFlight.delete(running)
        if (saturated) wake()
      })
    inFlight.add(running)
  }

  const loop = createWakeLoop({
    pollMs: deps.pollMs,
    async pass () {
      const free = deps.concurrency - inFlight.size
      saturated = free <= 0
      if (saturated) return false
      // A little short of the lease the database set: this clock may differ slightly from its clock.
      const leasedUntil = Date.now() + deps.leaseMs - 2000
      const claimed = await store.claimDue(free, deps.leaseMs)
      for (const d of claimed) launch(d, leasedUntil)
      // A full claim means more rows may be due right now.
      return claimed.length === free
    },
    onError: err => log.warn({ err }, 'delivery worker pass failed; the next poll retries')
  })
  const wake = loop.wake

  return {
    start: loop.start,
    wake,
    async stop () {
      stopping = true
      await loop.stop()
      for (const t of retryTimers) clearTimeout(t)
      await Promise.allSettled([...inFlight])
    }
  }
}
