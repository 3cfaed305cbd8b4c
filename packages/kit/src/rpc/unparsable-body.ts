import { Code, ConnectError, createContextKey, createContextValues } from '@connectrpc/connect'
import type { ConnectRouter, Interceptor } from '@connectrpc/connect'
import { createAsyncIterable, readAllBytes } from '@connectrpc/connect/protocol'
import type { UniversalHandler, UniversalServerRequest, UniversalServerResponse } from '@connectrpc/connect/protocol'
import { errorToJsonBytes } from '@connectrpc/connect/protocol-connect'

// Connect (2.x) parses the request message before any interceptor runs, and reports a body that
// is not the binary encoding of the request message as `internal` ("parse binary: premature EOF",
// HTTP 500), where the same mistake in JSON is `invalid_argument` (400). No hook of the library
// sees that error: the handlers are wrapped instead, and the interceptor below marks the requests
// whose implementation ran, so that only an `internal` that happened before it is reworded.

/** Set by `markReached` once the procedure's implementation (and so the parsing of its input) is reached. */
const REACHED = createContextKey<{ reached: boolean } | undefined>(undefined, { description: 'the rpc implementation ran' })

/** An interceptor of the routes `answerUnparsableBodies` wraps: the request message was parsed. */
export const markReached: Interceptor = next => async (request) => {
  const marker = request.contextValues.get(REACHED)
  if (marker) marker.reached = true
  return await next(request)
}

const JSON_BODY = /^application\/json(;|$)/i
const BINARY_CONNECT = /^application\/proto(;|$)/i

/** A Connect unary request in the binary encoding: POST with `application/proto`, or GET with `encoding=proto`. */
function binaryConnectUnary (request: UniversalServerRequest): boolean {
  if (request.method === 'GET') return new URL(request.url).searchParams.get('encoding') === 'proto'
  const type = request.header.get('content-type') ?? ''
  return BINARY_CONNECT.test(type.trim())
}

function isAsyncIterable (body: unknown): body is AsyncIterable<Uint8Array> {
  return typeof body === 'object' && body !== null && Symbol.asyncIterator in body
}

/** The Connect error for a body that is not the request message, as `invalid_argument` (400) says for JSON. */
export function unparsableBodyError (typeName: string, reason: string | undefined): ConnectError {
  const why = reason?.replace(/^parse binary:\s*/, '').trim()
  return new ConnectError(
    `The request body is not a ${typeName} message in the protobuf binary encoding${why ? ` (${why})` : ''}`,
    Code.InvalidArgument,
    { 'x-error-code': 'validation_failed' }
  )
}

function rewrap (handler: UniversalHandler): UniversalHandler {
  const typeName = handler.method.input.typeName
  const answer = async (request: UniversalServerRequest): Promise<UniversalServerResponse> => {
    const marker = { reached: false }
    const response = await handler({ ...request, contextValues: (request.contextValues ?? createContextValues()).set(REACHED, marker) })
    if (response.status !== 500 || marker.reached || !binaryConnectUnary(request)) return response
    const header = new Headers(response.header)
    // A compressed error body is not ours to read: left as it is (error bodies are below the compression threshold).
    if (!JSON_BODY.test(header.get('content-type') ?? '') || header.has('content-encoding') || !isAsyncIterable(response.body)) return response
    const bytes = await readAllBytes(response.body, Number.MAX_SAFE_INTEGER)
    let parsed: { code?: unknown, message?: unknown } = {}
    try { parsed = JSON.parse(Buffer.from(bytes).toString('utf8')) as typeof parsed } catch {}
    if (parsed.code !== 'internal') return { ...response, header, body: createAsyncIterable([bytes]) }
    const body = errorToJsonBytes(unparsableBodyError(typeName, typeof parsed.message === 'string' ? parsed.message : undefined), {})
    header.set('x-error-code', 'validation_failed')
    header.set('content-length', String(body.byteLength))
    return { status: 400, header, body: createAsyncIterable([body]) }
  }
  return Object.assign(answer, {
    protocolNames: handler.protocolNames,
    service: handler.service,
    method: handler.method,
    requestPath: handler.requestPath,
    allowedMethods: handler.allowedMethods,
    supportedContentType: handler.supportedContentType
  })
}

/**
 * The routes, with a Connect unary request whose binary body is not the
 * request message answered 400 `invalid_argument` (`x-error-code:
 * validation_failed`) instead of Connect's 500 `internal`. Needs
 * `markReached` as an interceptor of the same router.
 */
export function answerUnparsableBodies (routes: (router: ConnectRouter) => void): (router: ConnectRouter) => void {
  return (router) => {
    routes(router)
    router.handlers.splice(0, router.handlers.length, ...router.handlers.map(rewrap))
  }
}
