import pino from 'pino'
import type { Logger } from 'pino'
import type { Bus, DeadLetter, EventHandler, Subscription } from './bus.ts'
import { PermanentError } from './bus.ts'
import { isTransientFailure } from './transient.ts'
import type { CloudEvent } from './event.ts'
import { matchesTopic } from './topic.ts'

export interface MemoryBusOptions {
  /** Deliveries of a message before it is dead-lettered (a subscription may override it). */
  maxAttempts: number
  /** First retry delay in milliseconds; doubles on each attempt. */
  retryBaseMs: number
  /** Messages one subscriber handles at once, unless its subscription says otherwise (default 10). */
  prefetch?: number
  log?: Logger
}

/** A message as it sits in a queue: the serialised event, so every delivery gets its own copy, as over the wire. */
interface Message {
  body: string
  attempt: number
}

interface Consumer {
  handler: EventHandler
  prefetch: number
  maxAttempts: number
  inFlight: Set<Promise<void>>
}

interface Queue {
  name: string
  messages: Message[]
  consumers: Consumer[]
  /** Round-robin position among the consumers. */
  next: number
  deadLetters: Array<{ body: string, error: string, attempts: number, deadAt: string }>
}

const DEFAULT_EXCHANGE = 'events'

/**
 * The embedded bus: exchanges are names, each consumer group is one queue in
 * this process, shared round-robin by the group's subscribers. Delivery,
 * retries with backoff and dead-lettering follow the RabbitMQ adapter so both
 * pass the same contract suite; nothing survives a restart (the outbox does).
 */
export function createMemoryBus (options: MemoryBusOptions): Bus {
  const log = options.log ?? pino({ level: 'silent' })
  const queues = new Map<string, Queue>()
  /** exchange → queue name → binding patterns */
  const bindings = new Map<string, Map<string, Set<string>>>()
  const timers = new Set<NodeJS.Timeout>()
  const inFlight = new Set<Promise<void>>()
  let closed = false

  function queueOf (name: string): Queue {
    let queue = queues.get(name)
    if (!queue) {
      queue = { name, messages: [], consumers: [], next: 0, deadLetters: [] }
      queues.set(name, queue)
    }
    return queue
  }

  function schedule (queue: Queue): void {
    // Handlers never run on the publisher's call stack.
    setImmediate(() => dispatch(queue))
  }

  function dispatch (queue: Queue): void {
    // eslint-disable-next-line no-unmodified-loop-condition -- close()/stop() set it from outside
    while (!closed && queue.messages.length > 0) {
      const consumer = pickConsumer(queue)
      if (!consumer) return
      deliver(queue, consumer, queue.messages.shift()!)
    }
  }

  function pickConsumer (queue: Queue): Consumer | undefined {
    const n = queue.consumers.length
    for (let i = 0; i < n; i++) {
      const index = (queue.next + i) % n
      const consumer = queue.consumers[index]!
      if (consumer.inFlight.size < consumer.prefetch) {
        queue.next = (index + 1) % n
        return consumer
      }
    }
    return undefined
  }

  function deliver (queue: Queue, consumer: Consumer, message: Message): void {
    const run = Promise.resolve()
      .then(() => consumer.handler(JSON.parse(message.body) as CloudEvent, { attempt: message.attempt, redelivered: false }))
      .then(() => {}, (err: unknown) => fail(queue, consumer, message, err))
      .finally(() => {
        consumer.inFlight.delete(run)
        inFlight.delete(run)
        schedule(queue)
      })
    consumer.inFlight.add(run)
    inFlight.add(run)
  }

  function fail (queue: Queue, consumer: Consumer, message: Message, err: unknown): void {
    const error = err instanceof Error ? err.message : String(err)
    if (closed) return
    // An unreachable backend does not use up the message's tries (same attempt number).
    const transient = isTransientFailure(err) && consumer.maxAttempts > 1
    if (!transient && (err instanceof PermanentError || message.attempt >= consumer.maxAttempts)) {
      queue.deadLetters.push({ body: message.body, error, attempts: message.attempt, deadAt: new Date().toISOString() })
      log.error({ err, queue: queue.name, attempts: message.attempt }, 'message dead-lettered')
      return
    }
    const delay = options.retryBaseMs * 2 ** (Math.min(message.attempt, consumer.maxAttempts - 1) - 1)
    log.warn({ err, queue: queue.name, attempt: message.attempt, retryInMs: delay }, 'handler failed, retrying')
    const timer = setTimeout(() => {
      timers.delete(timer)
      queue.messages.push({ body: message.body, attempt: transient ? message.attempt : message.attempt + 1 })
      dispatch(queue)
    }, delay)
    timers.add(timer)
  }

  return {
    kind: 'memory',
    async publish (event, publishOptions) {
      if (closed) throw new Error('bus closed')
      const exchange = publishOptions?.exchange ?? DEFAULT_EXCHANGE
      const routingKey = publishOptions?.routingKey ?? event.type
      const body = JSON.stringify(event)
      for (const [name, patterns] of bindings.get(exchange) ?? []) {
        if (![...patterns].some(p => matchesTopic(p, routingKey))) continue
        const queue = queueOf(name)
        queue.messages.push({ body, attempt: 1 })
        schedule(queue)
      }
    },
    async subscribe (subscribeOptions, handler): Promise<Subscription> {
      if (closed) throw new Error('bus closed')
      const queue = queueOf(subscribeOptions.queue ?? subscribeOptions.group)
      const exchange = subscribeOptions.exchange ?? DEFAULT_EXCHANGE
      let bound = bindings.get(exchange)
      if (!bound) bindings.set(exchange, bound = new Map())
      let patterns = bound.get(queue.name)
      if (!patterns) bound.set(queue.name, patterns = new Set())
      for (const pattern of subscribeOptions.bindings) patterns.add(pattern)
      const consumer: Consumer = {
        handler,
        prefetch: subscribeOptions.prefetch ?? options.prefetch ?? 10,
        maxAttempts: subscribeOptions.maxAttempts ?? options.maxAttempts,
        inFlight: new Set()
      }
      queue.consumers.push(consumer)
      schedule(queue)
      return {
        async close () {
          queue.consumers = queue.consumers.filter(c => c !== consumer)
          await Promise.allSettled([...consumer.inFlight])
        }
      }
    },
    async deadLetters (name, limit = 100): Promise<DeadLetter[]> {
      const queue = queues.get(name)
      return (queue?.deadLetters ?? []).slice(0, limit).map(d => ({
        event: JSON.parse(d.body) as CloudEvent,
        queue: name,
        error: d.error,
        attempts: d.attempts,
        deadAt: d.deadAt
      }))
    },
    async countDeadLetters (names) {
      return new Map(names.map(name => [name, queues.get(name)?.deadLetters.length ?? 0]))
    },
    async replayDeadLetters (name) {
      const queue = queues.get(name)
      if (!queue) return 0
      const parked = queue.deadLetters.splice(0)
      for (const d of parked) queue.messages.push({ body: d.body, attempt: 1 })
      schedule(queue)
      return parked.length
    },
    isConnected () { return !closed },
    async ping () {
      if (closed) throw new Error('bus closed')
    },
    async close () {
      closed = true
      for (const timer of timers) clearTimeout(timer)
      timers.clear()
      for (const queue of queues.values()) queue.consumers = []
      await Promise.allSettled([...inFlight])
    }
  }
}
