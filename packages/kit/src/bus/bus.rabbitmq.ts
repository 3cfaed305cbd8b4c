import { AmqpConnectionManagerClass } from 'amqp-connection-manager'
import type { AmqpConnectionManager, ChannelWrapper } from 'amqp-connection-manager'
import type { Channel, ConfirmChannel, ConsumeMessage, GetMessage, Message, Options } from 'amqplib'
import pino from 'pino'
import type { Logger } from 'pino'
import type { Bus, DeadLetter, EventHandler, Subscription } from './bus.ts'
import { PermanentError } from './bus.ts'
import { isTransientFailure } from './transient.ts'
import type { CloudEvent } from './event.ts'

export interface RabbitBusOptions {
  url: string
  /** Prepended to every exchange and queue name (tests use a unique one; production ''). */
  prefix?: string
  /** Unacknowledged messages per subscriber. */
  prefetch: number
  /** Deliveries of a message before it is dead-lettered (a subscription may override it). */
  maxAttempts: number
  /** First retry delay in milliseconds; doubles on each attempt. */
  retryBaseMs: number
  /** How long `publish` waits for the broker's confirm, reconnection included (default 5000 ms). */
  publishTimeoutMs?: number
  /** Pause between reconnection attempts (default 2000 ms). */
  reconnectMs?: number
  /** How long `openRabbitBus` waits for the first connection before it fails (default 10 000 ms). */
  connectTimeoutMs?: number
  log?: Logger
}

/** Every exchange and queue this bus declared, prefix included: what a test deletes afterwards. */
export interface RabbitTopology {
  exchanges: string[]
  queues: string[]
}

export interface RabbitBus extends Bus {
  topology(): RabbitTopology
}

interface ConsumerSpec {
  queue: string
  exchange: string
  bindings: string[]
  prefetch: number
  maxAttempts: number
  /** Retry delay after attempt n at index n - 1. */
  delays: number[]
}

/** What a consumer needs from its bus. */
interface Link {
  manager: AmqpConnectionManager
  publisher: ChannelWrapper
  log: Logger
  watch(channel: Channel, name: string): { ready(): void }
  heal(): void
}

const CONTENT_TYPE = 'application/cloudevents+json'
const DEFAULT_EXCHANGE = 'events'
const REPLAY_BATCH = 100
/** Header tables are limited to 64 KiB; a stack trace is not worth more than this. */
const MAX_ERROR_LENGTH = 2000

/**
 * The RabbitMQ bus over amqp-connection-manager, which reconnects by itself
 * and re-runs each channel's setup (topology, consumer) on every new
 * connection. One confirm channel publishes; each subscription has its own
 * channel, so its prefetch and acks stay its own. A failed delivery is acked
 * and re-published to `<queue>.retry.<delayMs>`, whose TTL dead-letters it
 * back to the queue: a retry never blocks the messages behind it.
 */
export async function openRabbitBus (options: RabbitBusOptions): Promise<RabbitBus> {
  const log = options.log ?? pino({ level: 'silent' })
  const prefix = options.prefix ?? ''
  const publishTimeoutMs = options.publishTimeoutMs ?? 5000
  const reconnectMs = options.reconnectMs ?? 2000
  const manager = new AmqpConnectionManagerClass([options.url], {
    reconnectTimeInSeconds: reconnectMs / 1000,
    connectionOptions: { timeout: options.connectTimeoutMs ?? 10_000 }
  })
  manager.on('connect', () => log.info('rabbitmq connected'))
  manager.on('disconnect', ({ err }) => log.warn({ err }, 'rabbitmq disconnected'))
  manager.on('connectFailed', ({ err }) => log.warn({ err }, 'rabbitmq connection failed'))
  manager.on('blocked', ({ reason }) => log.warn({ reason }, 'rabbitmq blocked the connection'))
  const events = `${prefix}${DEFAULT_EXCHANGE}`
  const exchanges = new Set([events])
  const queues = new Set<string>()
  const subscriptions = new Set<Subscription>()
  /** Exchanges declared on the publisher channel; its setup re-declares them on every connection. */
  const declared = new Map<string, Promise<unknown>>([[events, Promise.resolve()]])
  let closed = false
  let closing: Promise<void> | undefined

  /**
   * A channel error (a deleted exchange) or a cancelled consumer (a deleted
   * queue) leaves the connection up, and amqp-connection-manager reopens
   * channels only on a new connection: force one, after the usual pause.
   */
  function heal (): void {
    const timer = setTimeout(() => { if (!closed) manager.reconnect() }, reconnectMs)
    timer.unref()
  }

  /** Errors during a setup fail that setup; once it succeeded, a channel error heals. */
  function watch (channel: Channel, name: string) {
    const onSetupError = (err: Error) => log.error({ err, channel: name }, 'rabbitmq channel setup failed')
    channel.on('error', onSetupError)
    return {
      ready () {
        channel.off('error', onSetupError)
        channel.on('error', (err: Error) => {
          log.error({ err, channel: name }, 'rabbitmq channel error; reconnecting')
          heal()
        })
      }
    }
  }

  const publisher = manager.createChannel({
    name: 'publisher',
    confirm: true,
    publishTimeout: publishTimeoutMs,
    async setup (channel: ConfirmChannel) {
      const watched = watch(channel, 'publisher')
      for (const exchange of declared.keys()) await channel.assertExchange(exchange, 'topic', { durable: true })
      watched.ready()
    }
  })
  publisher.on('error', (err: Error) => log.error({ err }, 'rabbitmq publisher channel error'))

  function declareExchange (exchange: string): Promise<unknown> {
    let done = declared.get(exchange)
    if (!done) {
      exchanges.add(exchange)
      // Without a channel this resolves at once, and the setup declares it on connection.
      done = publisher.assertExchange(exchange, 'topic', { durable: true })
      done.catch(() => declared.delete(exchange))
      declared.set(exchange, done)
    }
    return done
  }

  try {
    await manager.connect({ timeout: options.connectTimeoutMs ?? 10_000 })
  } catch (err) {
    await manager.close()
    throw err
  }
  const link: Link = { manager, publisher, log, watch, heal }
  const isConnected = () => !closed && manager.isConnected()

  return {
    kind: 'rabbitmq',
    async publish (event, publishOptions) {
      if (closed) throw new Error('bus closed')
      const exchange = `${prefix}${publishOptions?.exchange ?? DEFAULT_EXCHANGE}`
      await declareExchange(exchange)
      await publisher.publish(exchange, publishOptions?.routingKey ?? event.type, Buffer.from(JSON.stringify(event)), {
        persistent: true,
        contentType: CONTENT_TYPE,
        messageId: event.id,
        type: event.type,
        timeout: publishTimeoutMs
      })
    },
    async subscribe (so, handler) {
      if (closed) throw new Error('bus closed')
      const maxAttempts = so.maxAttempts ?? options.maxAttempts
      const spec: ConsumerSpec = {
        queue: `${prefix}${so.queue ?? so.group}`,
        exchange: `${prefix}${so.exchange ?? DEFAULT_EXCHANGE}`,
        bindings: so.bindings,
        prefetch: so.prefetch ?? options.prefetch,
        maxAttempts,
        delays: Array.from({ length: Math.max(0, maxAttempts - 1) }, (_, i) => options.retryBaseMs * 2 ** i)
      }
      exchanges.add(spec.exchange)
      for (const queue of [spec.queue, `${spec.queue}.dlq`, ...spec.delays.map(d => retryQueue(spec.queue, d))]) queues.add(queue)
      const consumer = await openConsumer(link, spec, handler)
      const subscription: Subscription = {
        async close () {
          subscriptions.delete(subscription)
          await consumer.close()
        }
      }
      subscriptions.add(subscription)
      return subscription
    },
    deadLetters (queue, limit = 100) {
      return withChannel(manager, channel => peekDeadLetters(channel, queue, `${prefix}${queue}`, limit), [])
    },
    countDeadLetters (names) {
      return countDeadLetters(manager, names, prefix)
    },
    replayDeadLetters (queue) {
      return withChannel(manager, channel => replayDeadLetters(channel, `${prefix}${queue}`), 0)
    },
    isConnected,
    async ping () {
      if (!isConnected()) throw new Error('rabbitmq not connected')
    },
    topology () {
      return { exchanges: [...exchanges], queues: [...queues] }
    },
    close () {
      closing ??= (async () => {
        closed = true
        await Promise.allSettled([...subscriptions].map(s => s.close()))
        await publisher.close().catch(() => {})
        await manager.close()
      })()
      return closing
    }
  }
}

/** Declares the group's topology and consumes on every (re)connection; resolves once the first setup ran. */
async function openConsumer (link: Link, spec: ConsumerSpec, handler: EventHandler): Promise<Subscription> {
  const deliver = createDelivery(link, spec, handler)
  const inFlight = new Set<Promise<void>>()
  let current: { channel: Channel, tag: string } | undefined
  let stopping = false
  const first = deferred()

  async function setup (channel: Channel): Promise<void> {
    const watched = link.watch(channel, spec.queue)
    try {
      await declareTopology(channel, spec)
      if (stopping) return
      await channel.prefetch(spec.prefetch)
      const { consumerTag } = await channel.consume(spec.queue, (msg) => {
        if (!msg) {
          link.log.error({ queue: spec.queue }, 'rabbitmq cancelled the consumer (queue deleted?); reconnecting')
          return link.heal()
        }
        const run = deliver(channel, msg).finally(() => inFlight.delete(run))
        inFlight.add(run)
      }, { noAck: false })
      current = { channel, tag: consumerTag }
      watched.ready()
      first.resolve()
    } catch (err) {
      first.reject(err)
      throw err
    }
  }

  const wrapper = link.manager.createChannel({ name: `consumer ${spec.queue}`, confirm: false, setup })
  wrapper.on('error', (err: Error) => {
    link.log.error({ err, queue: spec.queue }, 'rabbitmq consumer channel error')
    // Opening the channel can fail before any setup runs; subscribe must not wait forever.
    first.reject(err)
  })
  const subscription: Subscription = {
    async close () {
      if (stopping) return
      stopping = true
      if (current) await current.channel.cancel(current.tag).catch(() => {})
      await Promise.allSettled([...inFlight])
      await wrapper.close().catch(() => {})
    }
  }
  // While disconnected the setup runs on the next connection.
  if (link.manager.isConnected()) {
    try {
      await first.promise
    } catch (err) {
      await subscription.close()
      throw err
    }
  }
  return subscription
}

async function declareTopology (channel: Channel, spec: ConsumerSpec): Promise<void> {
  await channel.assertExchange(spec.exchange, 'topic', { durable: true })
  await channel.assertQueue(spec.queue, { durable: true })
  for (const pattern of spec.bindings) await channel.bindQueue(spec.queue, spec.exchange, pattern)
  await channel.assertQueue(`${spec.queue}.dlq`, { durable: true })
  for (const delay of spec.delays) {
    await channel.assertQueue(retryQueue(spec.queue, delay), {
      durable: true,
      arguments: { 'x-message-ttl': delay, 'x-dead-letter-exchange': '', 'x-dead-letter-routing-key': spec.queue }
    })
  }
}

/** Runs the handler, then acks; a failure is parked (retry or dead-letter queue, confirmed) before the ack. */
function createDelivery (link: Link, spec: ConsumerSpec, handler: EventHandler) {
  const { log, publisher } = link

  function settle (channel: Channel, msg: Message, requeue = false): void {
    try {
      if (requeue) channel.nack(msg, false, true)
      else channel.ack(msg)
    } catch (err) {
      // The channel closed under us: the broker redelivers the message on the next connection.
      log.warn({ err, queue: spec.queue }, 'could not settle a message')
    }
  }

  async function failed (channel: Channel, msg: ConsumeMessage, attempt: number, err: unknown): Promise<void> {
    const error = (err instanceof Error ? err.message : String(err)).slice(0, MAX_ERROR_LENGTH)
    try {
      const transient = isTransientFailure(err) && spec.delays.length > 0
      if (transient) {
        // Same attempt number: an outage does not use up the message's tries.
        const delay = spec.delays[Math.min(attempt, spec.delays.length) - 1]!
        await publisher.sendToQueue(retryQueue(spec.queue, delay), msg.content, copyProperties(msg, { 'x-attempt': attempt }))
        log.warn({ err, queue: spec.queue, attempt, retryInMs: delay }, 'handler could not reach a backend, retrying')
      } else if (err instanceof PermanentError || attempt >= spec.maxAttempts) {
        const headers = { 'x-error': error, 'x-attempts': attempt, 'x-dead-at': new Date().toISOString() }
        await publisher.sendToQueue(`${spec.queue}.dlq`, msg.content, copyProperties(msg, headers))
        log.error({ err, queue: spec.queue, attempts: attempt, messageId: msg.properties.messageId }, 'message dead-lettered')
      } else {
        const delay = spec.delays[attempt - 1]!
        await publisher.sendToQueue(retryQueue(spec.queue, delay), msg.content, copyProperties(msg, { 'x-attempt': attempt + 1 }))
        log.warn({ err, queue: spec.queue, attempt, retryInMs: delay }, 'handler failed, retrying')
      }
      settle(channel, msg)
    } catch (parkErr) {
      log.error({ err: parkErr, queue: spec.queue }, 'could not park a failed message; it goes back to the queue')
      settle(channel, msg, true)
    }
  }

  return async function deliver (channel: Channel, msg: ConsumeMessage): Promise<void> {
    const attempt = Number(msg.properties.headers?.['x-attempt'] ?? 1) || 1
    let event: CloudEvent
    try {
      event = JSON.parse(msg.content.toString('utf8')) as CloudEvent
    } catch (err) {
      return failed(channel, msg, attempt, new PermanentError(`unparseable message: ${(err as Error).message}`))
    }
    try {
      await handler(event, { attempt, redelivered: msg.fields.redelivered })
      settle(channel, msg)
    } catch (err) {
      await failed(channel, msg, attempt, err)
    }
  }
}

/** Runs `fn` on a short-lived channel of its own; a queue that does not exist yields `absent`. */
async function withChannel<T> (manager: AmqpConnectionManager, fn: (channel: ConfirmChannel) => Promise<T>, absent: T): Promise<T> {
  const connection = manager.connection
  if (!connection) throw new Error('rabbitmq not connected')
  const channel = await connection.createConfirmChannel()
  channel.on('error', () => {})
  try {
    return await fn(channel)
  } catch (err) {
    if ((err as { code?: number }).code === 404) return absent
    throw err
  } finally {
    // Closing also returns every message we got and did not ack to its queue.
    await channel.close().catch(() => {})
  }
}

async function peekDeadLetters (channel: Channel, queue: string, target: string, limit: number): Promise<DeadLetter[]> {
  const found: DeadLetter[] = []
  // What we read stays unacked, so each get returns the next message and the loop ends.
  while (found.length < limit) {
    const msg = await channel.get(`${target}.dlq`, { noAck: false })
    if (!msg) break
    found.push(toDeadLetter(queue, msg))
  }
  channel.nackAll(true)
  return found
}

/** checkQueue on one channel; a missing queue (its 404 closes the channel) counts 0 and the next ones get a fresh channel. */
async function countDeadLetters (manager: AmqpConnectionManager, names: string[], prefix: string): Promise<Map<string, number>> {
  const counts = new Map<string, number>()
  let next = 0
  while (next < names.length) {
    await withChannel(manager, async (channel) => {
      for (; next < names.length; next++) counts.set(names[next]!, (await channel.checkQueue(`${prefix}${names[next]}.dlq`)).messageCount)
    }, undefined)
    if (next < names.length) counts.set(names[next++]!, 0)
  }
  return counts
}

async function replayDeadLetters (channel: ConfirmChannel, target: string): Promise<number> {
  // The default exchange silently drops what it cannot route: the queue must exist.
  await channel.checkQueue(target)
  // Only what is parked now: a message that fails again during the replay waits for the next one.
  const { messageCount } = await channel.checkQueue(`${target}.dlq`)
  let moved = 0
  while (moved < messageCount) {
    const batch: GetMessage[] = []
    while (batch.length < Math.min(REPLAY_BATCH, messageCount - moved)) {
      const msg = await channel.get(`${target}.dlq`, { noAck: false })
      if (!msg) break
      batch.push(msg)
      channel.sendToQueue(target, msg.content, copyProperties(msg, {}))
    }
    if (batch.length === 0) break
    await channel.waitForConfirms()
    for (const msg of batch) channel.ack(msg)
    moved += batch.length
  }
  return moved
}

function deferred () {
  let resolve = () => {}
  let reject: (err: unknown) => void = () => {}
  const promise = new Promise<void>((_resolve, _reject) => { resolve = _resolve; reject = _reject })
  promise.catch(() => {})
  return { promise, resolve, reject }
}

function retryQueue (queue: string, delayMs: number): string {
  return `${queue}.retry.${delayMs}`
}

/** The original message's identity with fresh headers: only ours, never RabbitMQ's `x-death`. */
function copyProperties (msg: Message, headers: Record<string, unknown>): Options.Publish {
  return {
    persistent: true,
    contentType: msg.properties.contentType ?? CONTENT_TYPE,
    messageId: msg.properties.messageId,
    type: msg.properties.type,
    headers
  }
}

function toDeadLetter (queue: string, msg: GetMessage): DeadLetter {
  const headers = msg.properties.headers ?? {}
  return {
    event: JSON.parse(msg.content.toString('utf8')) as CloudEvent,
    queue,
    error: String(headers['x-error'] ?? ''),
    attempts: Number(headers['x-attempts'] ?? 0),
    deadAt: String(headers['x-dead-at'] ?? '')
  }
}
