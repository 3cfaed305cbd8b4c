import { eachOperation, PROBLEM_JSON, problemResponse, sharedErrorResponse } from '@app/kit/http'
import type { RoutePolicy } from './route-policies.ts'

type Json = Record<string, unknown>
type Responses = Record<string, Json>

/**
 * What the gateway itself answers for a route, whatever the service behind it
 * says: a malformed URL (400), a bearer token it refuses, sent to any route
 * (401), a body over its limit on any method that may carry one (413), URL and
 * header size limits, rate limits, and upstream failures.
 */
function gatewayStatuses (method: string, policy: RoutePolicy | undefined, proxied: boolean): number[] {
  const statuses = [400, 401, 414, 429, 431]
  if (method !== 'get' && method !== 'head') statuses.push(413)
  if (proxied) statuses.push(502, 503, 504)
  if (policy?.policy === 'admin') statuses.push(403)
  return statuses
}

// A Connect procedure answers its own errors as Connect JSON; the gateway's are problem+json beside them.
function addProblem (responses: Responses, status: string): void {
  const existing = responses[status]
  const content = existing?.content as Record<string, unknown> | undefined
  if (!existing) {
    responses[status] = sharedErrorResponse(status) ?? problemResponse(status)
  } else if (content && !content[PROBLEM_JSON]) {
    existing.content = { ...content, ...(problemResponse(status).content as Json) }
  }
}

/**
 * The answers the gateway adds to every operation of the merged document (see
 * gatewayStatuses), and the bearer security of the routes its policy table protects.
 */
export function addGatewayAnswers (doc: { paths?: Record<string, unknown> }, policyOf: (method: string, path: string) => RoutePolicy | undefined, own: Set<string>): void {
  eachOperation(doc, (op, path, method) => {
    const policy = policyOf(method.toUpperCase(), path)
    const responses = op.responses ??= {}
    for (const status of gatewayStatuses(method, policy, !own.has(path))) addProblem(responses, String(status))
    if (policy?.policy === 'authenticated' || policy?.policy === 'admin') op.security ??= [{ bearer: [] }]
    op.responses = Object.fromEntries(Object.entries(responses).sort(([a], [b]) => a.localeCompare(b)))
  })
}
