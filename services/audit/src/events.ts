import { PermanentError } from '@app/kit/bus'
import type { CloudEvent } from '@app/kit/bus'
import type { EventInput } from './audit-service.ts'

const text = (value: unknown): value is string => typeof value === 'string' && value.length > 0

/**
 * What the trail stores of a consumed event. One that is not a CloudEvent
 * (no id, type, source or valid time) can never be stored: it is dead-lettered
 * at once for someone to look at, not retried.
 */
export function eventInput (event: CloudEvent): EventInput {
  const { id, type, source, subject, time, data } = event as Partial<CloudEvent>
  if (!text(id) || !text(type) || !text(source) || !text(time) || Number.isNaN(Date.parse(time))) {
    throw new PermanentError(`not a storable CloudEvent: ${JSON.stringify({ id, type, source, time })}`)
  }
  return { id, type, source, subject: text(subject) ? subject : null, time, data: data ?? null }
}
