import { checkEventData } from '@app/contracts/events'
import type { EventType } from '@app/contracts/events'
import { PermanentError } from './bus.ts'
import type { CloudEvent, TypedEvent } from './event.ts'

/** Marks the reason of a message dead-lettered for its payload, in `DeadLetter.error` (RabbitMQ: the `x-error` header). */
export const INVALID_EVENT = 'invalid_event'

/**
 * The event, once its payload matches the contract of its type (and of the
 * version its `dataschema` names), and its type is one of `accepted` when
 * given; else a PermanentError, so the bus dead-letters it at once with the
 * reason and no handler sees it.
 */
export function validEvent<T extends EventType = EventType> (event: CloudEvent, accepted?: ReadonlySet<string>): TypedEvent<T> {
  if (typeof event !== 'object' || event === null || typeof event.type !== 'string' || typeof event.id !== 'string') {
    throw new PermanentError(`${INVALID_EVENT}: not a CloudEvent`)
  }
  if (accepted && !accepted.has(event.type)) {
    throw new PermanentError(`${INVALID_EVENT}: ${event.type} is not a type this consumer takes (${[...accepted].join(', ')})`)
  }
  const checked = checkEventData(event.type, event.data, event.dataschema)
  if (!checked.ok) throw new PermanentError(`${INVALID_EVENT}: ${checked.reason}`)
  return event as TypedEvent<T>
}
