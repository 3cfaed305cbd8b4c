import type { Logger } from 'pino'
import type { Bus } from './bus.ts'
import { createMemoryBus } from './bus.memory.ts'
import { openRabbitBus } from './bus.rabbitmq.ts'

export interface OpenBusOptions {
  /** Unset or empty selects the in-process bus. */
  amqpUrl?: string | undefined
  prefix: string
  prefetch: number
  maxAttempts: number
  retryBaseMs: number
  publishTimeoutMs?: number
  log?: Logger
}

/** RabbitMQ when a URL is configured, otherwise the in-process bus. */
export async function openBus (options: OpenBusOptions): Promise<Bus> {
  const { amqpUrl, prefix, prefetch, maxAttempts, retryBaseMs, publishTimeoutMs, log } = options
  if (amqpUrl) return openRabbitBus({ url: amqpUrl, prefix, prefetch, maxAttempts, retryBaseMs, publishTimeoutMs, log })
  return createMemoryBus({ prefetch, maxAttempts, retryBaseMs, log })
}
