import { v7 as uuidv7 } from 'uuid'
import { eventSchemas, isEventType } from '@app/contracts/events'
import type { EventData, EventType } from '@app/contracts/events'
import { PermanentError } from './bus.ts'

/** A CloudEvents 1.0 JSON envelope. */
export interface CloudEvent<T = unknown> {
  specversion: '1.0'
  /** UUIDv7: unique, and sortable by creation time. */
  id: string
  /** The emitting service, e.g. `/services/user`. */
  source: string
  /** `<area>.<past-tense fact>`, e.g. `user.registered`; also the routing key. */
  type: string
  time: string
  /** The user id, where there is one. */
  subject?: string
  datacontenttype: 'application/json'
  /** The payload's contract and version (`urn:gatehouse:event:<type>:v<n>`, `@app/contracts/events`). */
  dataschema?: string
  /** W3C trace context of the span that wrote the event (CloudEvents distributed tracing extension); set when tracing is on. */
  traceparent?: string
  tracestate?: string
  data: T
}

/** An event whose payload was checked against its type's contract; `type` narrows `data`. */
export type TypedEvent<T extends EventType = EventType> = { [K in T]: CloudEvent<EventData<K>> & { type: K } }[T]

/** Sets `dataschema` for a type with a contract in `@app/contracts/events`. */
export function createEvent<T> (source: string, type: string, data: T, subject?: string, now = new Date()): CloudEvent<T> {
  return {
    specversion: '1.0',
    id: uuidv7(),
    source,
    type,
    time: now.toISOString(),
    ...(subject ? { subject } : {}),
    datacontenttype: 'application/json',
    ...(isEventType(type) ? { dataschema: eventSchemas[type].dataschema } : {}),
    data
  }
}

/**
 * The payload of a consumed event of `type`, typed by its contract. For a
 * handler bound to several types: an event of another type is a wiring
 * mistake, dead-lettered (the kit already checked the payload itself).
 */
export function dataOf<T extends EventType> (event: CloudEvent | TypedEvent, type: T): EventData<T> {
  if (event.type !== type) throw new PermanentError(`expected a ${type} event, got ${event.type}`)
  return event.data as EventData<T>
}
