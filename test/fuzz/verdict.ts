import type { Operation } from './openapi-operations.ts'
import type { RawResponse } from './raw-request.ts'

function parsed (body: string): Record<string, unknown> | undefined {
  try {
    const value = JSON.parse(body) as unknown
    return value !== null && typeof value === 'object' ? value as Record<string, unknown> : undefined
  } catch {
    return undefined
  }
}

/**
 * What is wrong with an answer to hostile input, or undefined when nothing is:
 * any 5xx is; a 4xx must be problem+json with a stable code and its own status
 * (a Connect procedure answers Connect's JSON error instead).
 */
export function verdictOn (op: Operation, res: RawResponse): string | undefined {
  if (res.status >= 500) return 'server error'
  if (res.status < 400) return undefined
  const body = parsed(res.body)
  if (op.rpc) {
    // The Connect protocol answers an unsupported content type with a bare 415, no error body.
    if (res.status === 415) return undefined
    return typeof body?.code === 'string' ? undefined : 'a Connect error without a code'
  }
  if (!/^application\/problem\+json/.test(res.contentType)) return 'a 4xx that is not problem+json'
  if (typeof body?.code !== 'string' || body.status !== res.status) return 'a problem without its code or status'
  return undefined
}
