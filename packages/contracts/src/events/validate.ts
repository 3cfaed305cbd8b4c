import { TypeCompiler } from '@sinclair/typebox/compiler'
import type { TypeCheck } from '@sinclair/typebox/compiler'
import type { TSchema } from '@sinclair/typebox'
import { eventSchemas, isEventType } from './registry.ts'
import type { EventData, EventType } from './registry.ts'
import { secretMembers } from './secret-names.ts'

export type EventCheck<T extends EventType = EventType> =
  | { ok: true, type: T, data: EventData<T> }
  | { ok: false, reason: string }

const MAX_PROBLEMS = 5
const checks = new Map<EventType, TypeCheck<TSchema>>()

function checkerOf (type: EventType): TypeCheck<TSchema> {
  let check = checks.get(type)
  if (!check) {
    check = TypeCompiler.Compile(eventSchemas[type].schema)
    checks.set(type, check)
  }
  return check
}

/**
 * Checks an event's payload against the contract of its type. `dataschema`
 * is the event's attribute: when present it must name the version this
 * release knows (an event written before producers set it is checked against
 * the current version). The reason names the type and the members at fault.
 */
export function checkEventData (type: string, data: unknown, dataschema?: string): EventCheck {
  if (!isEventType(type)) return { ok: false, reason: `no contract for event type ${JSON.stringify(type)}` }
  const contract = eventSchemas[type]
  if (dataschema !== undefined && dataschema !== contract.dataschema) {
    return { ok: false, reason: `${type}: unsupported dataschema ${JSON.stringify(dataschema)}; this release reads ${contract.dataschema}` }
  }
  const check = checkerOf(type)
  if (!check.Check(data)) {
    const problems = [...check.Errors(data)].slice(0, MAX_PROBLEMS).map(e => `${e.path || '/'} ${e.message}`)
    return { ok: false, reason: `${type} v${contract.version}: invalid data: ${problems.join('; ')}` }
  }
  const secrets = secretMembers(data, contract.schema)
  if (secrets.length > 0) {
    return { ok: false, reason: `${type} v${contract.version}: a member named like a secret: ${secrets.slice(0, MAX_PROBLEMS).join(', ')}` }
  }
  return { ok: true, type, data: data as EventData<EventType> }
}
