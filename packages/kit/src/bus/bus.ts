import type { CloudEvent } from './event.ts'

export interface PublishOptions {
  /** Defaults to the `events` topic exchange. */
  exchange?: string
  /** Defaults to the event type. */
  routingKey?: string
}

export interface SubscribeOptions {
  /** The consumer group: one durable queue, shared by every instance of the group. */
  group: string
  /** Topic patterns (`user.*`, `#`) bound on the exchange. */
  bindings: string[]
  /** Defaults to the `events` topic exchange. */
  exchange?: string
  /** Use this exact queue name (no `.group` naming), for fixed topologies such as `otp_queue`. */
  queue?: string
  prefetch?: number
  /** Deliveries before the message is dead-lettered; defaults to the bus setting. */
  maxAttempts?: number
}

export interface DeliveryInfo {
  /** 1 on the first delivery. */
  attempt: number
  /** The broker marked it as delivered before (e.g. after a lost connection). */
  redelivered: boolean
}

/** Throw it from a handler to dead-letter the message at once (it can never succeed). */
export class PermanentError extends Error {
  constructor (message: string, options?: ErrorOptions) {
    super(message, options)
    this.name = 'PermanentError'
  }
}

export type EventHandler = (event: CloudEvent, info: DeliveryInfo) => Promise<void>

export interface Subscription {
  /** Stops consuming; unacknowledged messages go back to the queue. */
  close(): Promise<void>
}

export interface DeadLetter {
  event: CloudEvent
  queue: string
  error: string
  attempts: number
  deadAt: string
}

/**
 * Publishes CloudEvents to topic exchanges and delivers them to consumer groups
 * at least once. A handler that throws is retried with exponential backoff
 * (base x 2^(attempt-1)) and, after `maxAttempts` deliveries, the message is
 * parked in the group's dead-letter queue (`<queue>.dlq`).
 */
export interface Bus {
  readonly kind: 'rabbitmq' | 'memory'
  /** Resolves once the broker has confirmed the message (publisher confirms); rejects on timeout or when it refused it. */
  publish(event: CloudEvent, options?: PublishOptions): Promise<void>
  subscribe(options: SubscribeOptions, handler: EventHandler): Promise<Subscription>
  /** Reads (without removing) up to `limit` dead-lettered messages of a group's queue. */
  deadLetters(queue: string, limit?: number): Promise<DeadLetter[]>
  /** Moves a group's dead-lettered messages back to its queue; returns how many. */
  replayDeadLetters(queue: string): Promise<number>
  /** How many messages each group queue's dead-letter queue holds (0 for one that does not exist); read when metrics are scraped. */
  countDeadLetters(queues: string[]): Promise<Map<string, number>>
  /** True while connected (memory: always). */
  isConnected(): boolean
  ping(): Promise<void>
  close(): Promise<void>
}
