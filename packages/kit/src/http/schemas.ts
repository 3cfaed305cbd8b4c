import { Type } from '@sinclair/typebox'
import type { TProperties, ObjectOptions } from '@sinclair/typebox'

/** An object schema that rejects unknown fields (a typo in a field name is an error, not silently ignored). */
export function StrictObject<T extends TProperties> (properties: T, options: ObjectOptions = {}) {
  return Type.Object(properties, { additionalProperties: false, ...options })
}

/** The error responses a route documents in OpenAPI. */
export function problemResponses (...statuses: number[]) {
  return Object.fromEntries(statuses.map(status => [status, Type.Ref('Problem')]))
}
