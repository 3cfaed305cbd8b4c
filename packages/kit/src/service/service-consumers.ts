import type { Db, Tx } from '../db/index.ts'
import { consumeOnce, validEvent, wasProcessed } from '../bus/index.ts'
import type { Bus, Subscription } from '../bus/index.ts'
import { bindToActive } from '../tracing/index.ts'
import type { Tracing } from '../tracing/index.ts'
import type { ServiceContext } from './define-service.ts'
import type { ServiceName } from './ports.ts'

export interface ServiceConsumers {
  /** `ctx.consume`: subscribes a handler as the queue `<service>.<name>`. */
  consume: ServiceContext<unknown>['consume']
  /** Closes every subscription, each whatever the others do. */
  close(): Promise<unknown>
}

/** The service's event consumers: each event checked against its contract, then handled at most once with the record that it was. */
export function createServiceConsumers (options: { service: ServiceName, bus: Bus, db: Db, tracing: Tracing }): ServiceConsumers {
  const { service, bus, db, tracing } = options
  const subscriptions: Subscription[] = []
  return {
    async consume ({ name, bindings, prepare, types, ...rest }, handler) {
      const consumer = `${service}.${name}`
      const accepted = types ? new Set<string>(types) : undefined
      subscriptions.push(await bus.subscribe({ ...rest, group: consumer, bindings: [...bindings] }, async (received) => {
        // Before anything else: an invalid payload is dead-lettered (PermanentError), never handled.
        const event = validEvent(received, accepted) as Parameters<typeof handler>[0]
        if (prepare && await wasProcessed(db, consumer, event.id)) return
        const prepared = prepare ? await prepare(event) : undefined
        await consumeOnce(db, consumer, event, bindToActive((tx: Tx) => handler(event, tx, prepared as never), tracing))
      }))
    },
    close: () => Promise.allSettled(subscriptions.map(s => s.close()))
  }
}
