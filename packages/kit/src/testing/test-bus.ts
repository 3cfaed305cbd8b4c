import type { Bus } from '../bus/bus.ts'
import { createMemoryBus } from '../bus/bus.memory.ts'
import { openRabbitBus } from '../bus/bus.rabbitmq.ts'
import { deleteTopology } from '../bus/rabbit-topology.ts'
export { deleteTopology }
import { trackLeftover } from './leftovers.ts'
import { uniqueName } from './test-db.ts'

export interface TestBusOptions {
  maxAttempts: number
  retryBaseMs: number
  prefetch: number
  publishTimeoutMs: number
  reconnectMs: number
  /** RabbitMQ only: connect here instead of `AMQP_URL` (a TCP proxy); cleanup still uses `AMQP_URL`. */
  url?: string
}

export interface TestBus {
  bus: Bus
  /** Closes the bus and, on RabbitMQ, deletes every exchange and queue it declared. */
  cleanup(): Promise<void>
}

export interface BusAdapter {
  name: 'memory' | 'rabbitmq'
  open(overrides?: Partial<TestBusOptions>): Promise<TestBus>
}

/** Quick retries so retry and dead-letter paths finish in well under a second. */
const DEFAULTS: TestBusOptions = { maxAttempts: 3, retryBaseMs: 50, prefetch: 10, publishTimeoutMs: 2000, reconnectMs: 100 }

/** The adapters a bus test runs against: always memory, plus RabbitMQ when `AMQP_URL` is set. */
export function busAdapters (): BusAdapter[] {
  const adapters: BusAdapter[] = [{
    name: 'memory',
    async open (overrides) {
      const bus = createMemoryBus({ ...DEFAULTS, ...overrides })
      return { bus, cleanup: () => bus.close() }
    }
  }]
  const amqpUrl = process.env.AMQP_URL
  if (amqpUrl) adapters.push({ name: 'rabbitmq', open: (overrides) => openTestRabbitBus(amqpUrl, overrides) })
  return adapters
}

async function openTestRabbitBus (amqpUrl: string, overrides: Partial<TestBusOptions> = {}): Promise<TestBus> {
  const { url, ...options } = { ...DEFAULTS, ...overrides }
  const prefix = `${uniqueName('bus')}.`
  const bus = await openRabbitBus({ ...options, url: url ?? amqpUrl, prefix })
  // The topology grows with every subscription; the sweep at exit deletes what it lists then.
  const forget = trackLeftover(`RabbitMQ queues and exchanges ${prefix}*`, () => deleteTopology(amqpUrl, bus.topology()))
  return {
    bus,
    async cleanup () {
      try {
        await bus.close()
      } finally {
        await deleteTopology(amqpUrl, bus.topology())
        forget()
      }
    }
  }
}

/** On a connection of its own: the bus's may be closed, or routed through a proxy that is cut. */
type Truthy<T> = Exclude<T, undefined | null | false | 0 | ''>

/**
 * Polls `condition` until it returns a truthy value, which it returns; fails after `timeoutMs`.
 * The default is generous on purpose: it only bounds a wait for something that should happen,
 * and a delivery across outbox, bus and worker can take many seconds on a loaded CI machine.
 */
export async function waitFor<T> (condition: () => T | Promise<T>, timeoutMs = 30_000, intervalMs = 10): Promise<Truthy<T>> {
  const deadline = Date.now() + timeoutMs
  let last: unknown
  for (;;) {
    try {
      const value = await condition()
      if (value) return value as Truthy<T>
    } catch (err) {
      last = err
    }
    if (Date.now() > deadline) {
      throw new Error(`condition not met within ${timeoutMs} ms`, { cause: last })
    }
    await new Promise(resolve => setTimeout(resolve, intervalMs))
  }
}
