import { Counter, Gauge, Histogram } from 'prom-client'
import type { Registry } from 'prom-client'
import type { Logger } from 'pino'
import type { Bus, EventHandler, SubscribeOptions } from '../bus/bus.ts'
import { PermanentError } from '../bus/bus.ts'
import { isTransientFailure } from '../bus/transient.ts'
import { scrapeRead } from './collect-failures.ts'

export interface ConsumerMetricsOptions {
  registry: Registry
  /** The bus's default deliveries before dead-lettering (BUS_MAX_ATTEMPTS), for subscriptions that do not set their own. */
  maxAttempts: number
  log?: Logger
  /** Longest a scrape waits for the dead-letter counts (default 2000 ms). */
  timeoutMs?: number
}

const BUCKETS = [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10]

/**
 * What became of a failed delivery, decided as both bus adapters decide it
 * (bus.memory.ts, bus.rabbitmq.ts): an unreachable backend is retried without
 * using up a try; a PermanentError or the last try is dead-lettered.
 */
export function failureOutcome (err: unknown, attempt: number, maxAttempts: number): 'retry' | 'dead_letter' {
  if (isTransientFailure(err) && maxAttempts > 1) return 'retry'
  return err instanceof PermanentError || attempt >= maxAttempts ? 'dead_letter' : 'retry'
}

/**
 * The bus as one service sees it, measured: every subscription made through
 * it (ctx.consume, or a direct ctx.bus.subscribe like the audit trail's) gets
 * a processing-time histogram and retry / dead-letter counters under its
 * consumer group, and its queue's dead-letter queue is counted on scrape
 * (RabbitMQ: the broker's message count; memory: the parked messages).
 * Labels are consumer and queue names: a fixed, small set per service.
 */
export function measuredBus (bus: Bus, options: ConsumerMetricsOptions): Bus {
  const { registry } = options
  const queues = new Set<string>()
  const counts = scrapeRead(registry, options.log, 'dead_letters', async () => queues.size === 0 ? new Map<string, number>() : bus.countDeadLetters([...queues]), options.timeoutMs)
  const seconds = new Histogram({
    name: 'gatehouse_consumer_processing_seconds',
    help: 'Time a consumer took per delivered event (validation, preparation, handler and its transaction), by outcome ok or failed',
    labelNames: ['consumer', 'outcome'] as const,
    buckets: BUCKETS,
    registers: [registry]
  })
  const retries = new Counter({
    name: 'gatehouse_consumer_retries_total',
    help: 'Deliveries that failed and will be delivered again (after a backoff)',
    labelNames: ['consumer'] as const,
    registers: [registry]
  })
  const deadLettered = new Counter({
    name: 'gatehouse_consumer_dead_lettered_total',
    help: 'Deliveries this instance parked in the dead-letter queue',
    labelNames: ['consumer'] as const,
    registers: [registry]
  })
  // eslint-disable-next-line no-new -- registered, read on scrape
  new Gauge({
    name: 'gatehouse_dead_letter_messages',
    help: 'Messages waiting in a consumer queue\'s dead-letter queue (<queue>.dlq) of this service',
    labelNames: ['queue'] as const,
    registers: [registry],
    async collect () {
      if (queues.size === 0) return
      for (const [queue, count] of await counts() ?? []) this.set({ queue }, count)
    }
  })

  function measured (so: SubscribeOptions, handler: EventHandler): EventHandler {
    const consumer = so.group
    const maxAttempts = so.maxAttempts ?? options.maxAttempts
    const ok = seconds.labels(consumer, 'ok')
    const failedTime = seconds.labels(consumer, 'failed')
    const retried = retries.labels(consumer)
    const parked = deadLettered.labels(consumer)
    retried.inc(0)
    parked.inc(0)
    return async (event, info) => {
      const started = performance.now()
      try {
        await handler(event, info)
        ok.observe((performance.now() - started) / 1000)
      } catch (err) {
        failedTime.observe((performance.now() - started) / 1000)
        if (failureOutcome(err, info.attempt, maxAttempts) === 'retry') retried.inc()
        else parked.inc()
        throw err
      }
    }
  }

  // The buses are plain objects whose methods do not use `this`: everything else is the bus's own.
  return {
    ...bus,
    subscribe (so, handler) {
      queues.add(so.queue ?? so.group)
      return bus.subscribe(so, measured(so, handler))
    }
  }
}
