/**
 * Completes the responses of every operation in an OpenAPI document from what
 * the route declares (a body, parameters, security), so that the document
 * lists each status the platform's shared machinery can answer, errors as
 * `application/problem+json`, and says what each response means. One place
 * for every service, instead of `problemResponses(...)` kept by hand per route.
 */

export const PROBLEM_JSON = 'application/problem+json'
const PROBLEM_REF = { $ref: '#/components/schemas/Problem' }
/** @fastify/swagger's placeholder when a response schema carries no description. */
const PLACEHOLDER = 'Default Response'

const SUCCESS: Record<string, string> = {
  200: 'Success',
  201: 'Created',
  202: 'Accepted; the work continues in the background',
  204: 'Done; no body'
}

/** What each error status means on this platform; the problem's `code` says which case it is. */
export const ERROR_DESCRIPTIONS: Record<string, string> = {
  400: 'The request is invalid: `validation_failed` names each field in `errors`; `malformed_json`, or a code of this route',
  401: 'Not authenticated: no valid access token (`unauthorized`), or wrong credentials',
  403: 'Not allowed: `forbidden`, `account_disabled`, `reauth_required`, or a code of this route',
  404: 'Not found (`not_found`)',
  409: 'Conflicts with the current state (`conflict`, or a code of this route)',
  410: 'Expired or already used (`otp_expired`, or a code of this route)',
  413: 'The body is larger than the limit (`payload_too_large`)',
  414: 'The URL (path and query) is longer than the gateway accepts (`uri_too_long`)',
  415: 'The body is not JSON (`unsupported_media_type`)',
  422: 'Understood but not processable (a code of this route)',
  429: 'Too many requests (`rate_limited`, or a code of this route); `Retry-After` says when to try again',
  431: 'The request headers are larger than the server accepts (`header_too_large`)',
  502: 'The upstream service answered something unusable (`bad_gateway`)',
  503: 'A backend is unavailable right now (`unavailable`); `Retry-After` says when to try again',
  504: 'The upstream service did not answer in time (`upstream_timeout`)'
}

/** Names of the shared error responses in `components.responses`, by status. */
const RESPONSE_NAMES: Record<string, string> = {
  400: 'BadRequest',
  401: 'Unauthorized',
  403: 'Forbidden',
  404: 'NotFound',
  409: 'Conflict',
  410: 'Gone',
  413: 'PayloadTooLarge',
  414: 'UriTooLong',
  415: 'UnsupportedMediaType',
  422: 'UnprocessableContent',
  429: 'TooManyRequests',
  431: 'RequestHeaderFieldsTooLarge',
  502: 'BadGateway',
  503: 'ServiceUnavailable',
  504: 'GatewayTimeout'
}

const integer = (description: string) => ({ description, schema: { type: 'integer' } })
const HEADERS: Record<string, Json> = {
  429: {
    'Retry-After': integer('seconds until a request of this kind is accepted again'),
    'RateLimit-Limit': integer('requests allowed in the window of the limit that was reached (gateway limits)'),
    'RateLimit-Remaining': integer('requests left in that window'),
    'RateLimit-Reset': integer('seconds until that window resets')
  },
  503: { 'Retry-After': integer('seconds until trying again makes sense') }
}

type Json = Record<string, unknown>
interface Operation extends Json {
  parameters?: Array<{ in: string, required?: boolean, schema?: Json }>
  requestBody?: unknown
  security?: unknown[]
  responses?: Record<string, Json>
}

const METHODS = ['get', 'put', 'post', 'delete', 'patch', 'head', 'options', 'trace']

/** Every operation of a document, with its path and method. */
export function eachOperation (doc: { paths?: Record<string, unknown> }, visit: (op: Operation, path: string, method: string) => void): void {
  for (const [path, item] of Object.entries(doc.paths ?? {})) {
    for (const [method, op] of Object.entries(item as Record<string, Operation>)) {
      if (METHODS.includes(method)) visit(op, path, method)
    }
  }
}

/** The statuses the kit itself answers for a route with this shape. */
export function derivedErrorStatuses (op: Operation): number[] {
  const statuses = [503]
  const parameters = op.parameters ?? []
  if (op.requestBody) statuses.push(400, 413, 415)
  if (parameters.length > 0) statuses.push(400)
  if (parameters.some(p => p.in === 'path')) statuses.push(404)
  if ((op.security ?? []).length > 0) statuses.push(401)
  return statuses
}

function schemaNames (content: unknown): string[] {
  const schema = (content as Record<string, { schema?: Json }> | undefined)?.['application/json']?.schema
  if (!schema) return []
  const refs = [schema, ...((schema.anyOf ?? schema.oneOf ?? []) as Json[])]
    .map(s => typeof s.$ref === 'string' ? s.$ref.split('/').at(-1)! : undefined)
  return refs.filter((name): name is string => name !== undefined)
}

function describeSuccess (status: string, response: Json): string {
  const names = schemaNames(response.content)
  const phrase = SUCCESS[status] ?? 'Success'
  return names.length > 0 ? `${phrase}: ${names.join(' or ')}` : phrase
}

/** The shared error responses, for `components.responses`. */
export function sharedErrorResponses (): Record<string, Json> {
  return Object.fromEntries(Object.entries(RESPONSE_NAMES).map(([status, name]) => {
    const headers = HEADERS[status]
    return [name, { description: ERROR_DESCRIPTIONS[status], ...(headers ? { headers } : {}), content: { [PROBLEM_JSON]: { schema: PROBLEM_REF } } }]
  }))
}

/** A reference to the shared response of an error status, if there is one. */
export function sharedErrorResponse (status: string): Json | undefined {
  const name = RESPONSE_NAMES[status]
  return name ? { $ref: `#/components/responses/${name}` } : undefined
}

function isGeneric (response: Json): boolean {
  if (response.$ref) return true
  const content = response.content as Record<string, { schema?: Json }> | undefined
  const schema = content?.[PROBLEM_JSON]?.schema ?? content?.['application/json']?.schema
  const describedByRoute = response.description !== undefined && response.description !== PLACEHOLDER
  return !describedByRoute && (schema === undefined || schema.$ref === PROBLEM_REF.$ref)
}

/** An error response as problem+json (whatever schema the route gave it), with a real description. */
export function problemResponse (status: string, response: Json = {}): Json {
  const content = response.content as Record<string, { schema?: Json }> | undefined
  const schema = content?.[PROBLEM_JSON]?.schema ?? content?.['application/json']?.schema ?? PROBLEM_REF
  const description = response.description && response.description !== PLACEHOLDER
    ? response.description
    : ERROR_DESCRIPTIONS[status] ?? 'The request failed; the problem says why'
  return { ...response, description, content: { [PROBLEM_JSON]: { schema } } }
}

/** Completes one operation in place (see the file's header). */
export function completeOperation (op: Operation, extraStatuses: number[] = []): void {
  // A parameter with a default may be left out (the schema's `required` list names it all the same).
  for (const parameter of op.parameters ?? []) {
    if (parameter.in !== 'path' && parameter.required && parameter.schema?.default !== undefined) parameter.required = false
  }
  const responses: Record<string, Json> = op.responses ??= {}
  for (const status of [...derivedErrorStatuses(op), ...extraStatuses]) responses[status] ??= {}
  for (const [status, response] of Object.entries(responses)) {
    if (Number(status) >= 400) {
      responses[status] = (isGeneric(response) && sharedErrorResponse(status)) || problemResponse(status, response)
    } else if (!response.description || response.description === PLACEHOLDER) {
      response.description = describeSuccess(status, response)
    }
  }
  op.responses = Object.fromEntries(Object.entries(responses).sort(([a], [b]) => a.localeCompare(b)))
}
