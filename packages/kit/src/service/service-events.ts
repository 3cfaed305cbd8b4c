import type { Queryable, Tx } from '../db/index.ts'
import { createEvent, enqueueEvent, runWithOutbox } from '../bus/index.ts'
import { withTraceContext } from '../tracing/index.ts'
import type { Tracing } from '../tracing/index.ts'
import type { EventEmitter, EventSpec } from './define-service.ts'

/** `ctx.events`: events from `source` written to the outbox with the caller's change, the relay woken once it commits. */
export function createEventEmitter (options: { source: string, now: () => Date, tracing: Tracing, wake: () => void }): EventEmitter {
  const { source, now, tracing, wake } = options
  return {
    async emit (tx, type, data, subject, publishOptions) {
      const event = withTraceContext(createEvent(source, type, data, subject, now()), tracing)
      await enqueueEvent(tx, event, publishOptions)
      tx.onCommit(wake)
      return event
    },
    async emitWith<R> (q: Queryable, statement: (outbox: string) => string, params: unknown[], specs: EventSpec[]) {
      const events = specs.map(s => withTraceContext(createEvent(source, s.type, s.data, s.subject, now()), tracing))
      const rows = await runWithOutbox<R>(q, statement, params, events.map((event, i) => ({ event, options: specs[i]!.options })))
      if ('onCommit' in q) (q as Tx).onCommit(wake)
      else wake()
      return { rows, events }
    }
  }
}
