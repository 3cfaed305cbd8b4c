import { exemplar } from './exemplar.ts'
import type { Operation } from './openapi-operations.ts'
import type { RawRequest } from './raw-request.ts'
import { fillPath, joinQuery, percentEncode, queryText } from './wire-encoding.ts'

/** Who sends: nobody, the fuzz user, the administrator, or a raw Authorization header. */
export type Auth = 'none' | 'user' | 'admin' | { authorization: string }

export interface FuzzCase {
  label: string
  auth: Auth
  request: RawRequest
}

export interface RequestParts {
  /** Encoded path segments by name; the exemplar's otherwise. */
  params?: Record<string, string>
  /** Encoded pairs; the exemplar's required ones otherwise. */
  query?: Array<[string, string]>
  headers?: Record<string, string>
  /** The body as sent; the exemplar's JSON when the operation takes one, unless `null`. */
  body?: Buffer | string | null
  /** `null` sends no Content-Type. */
  contentType?: string | null
}

/** Header values node:http accepts: no control characters, nothing past Latin-1. */
export function headerSafe (value: string): string {
  return value.replace(/[^\t\x20-\x7e\x80-\xff]/g, '')
}

/** A request to `op`, valid where `parts` says nothing. */
export function assemble (op: Operation, parts: RequestParts = {}): RawRequest {
  const params = parts.params ?? Object.fromEntries(op.pathParams.map(p => [p.name, percentEncode(queryText(exemplar(p.schema)))]))
  const query = parts.query ?? op.query.filter(q => q.required).map(q => [q.name, percentEncode(queryText(exemplar(q.schema)))] as [string, string])
  const required = Object.fromEntries(op.headers.filter(h => h.required).map(h => [h.name, headerSafe(queryText(exemplar(h.schema)))]))
  const body = parts.body === null ? undefined : parts.body ?? (op.body ? JSON.stringify(exemplar(op.body)) : undefined)
  const contentType = parts.contentType === undefined ? (body === undefined ? null : 'application/json') : parts.contentType
  return {
    method: op.method,
    path: fillPath(op.path, params) + joinQuery(query),
    headers: { ...required, ...(contentType === null ? {} : { 'content-type': contentType }), ...parts.headers },
    ...(body === undefined ? {} : { body })
  }
}
