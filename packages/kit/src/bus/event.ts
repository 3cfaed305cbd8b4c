import { v7 as uuidv7 } from 'uuid'

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
  data: T
}

export function createEvent<T> (source: string, type: string, data: T, subject?: string, now = new Date()): CloudEvent<T> {
  return {
    specversion: '1.0',
    id: uuidv7(),
    source,
    type,
    time: now.toISOString(),
    ...(subject ? { subject } : {}),
    datacontenttype: 'application/json',
    data
  }
}
