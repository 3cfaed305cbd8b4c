import { createConnectRouter } from '@connectrpc/connect'
import type { ConnectRouter } from '@connectrpc/connect'
import type { DescField, DescMessage } from '@bufbuild/protobuf'

type Json = Record<string, unknown>

// Protobuf scalar types by their number in `ScalarType`, as the proto3 JSON mapping writes them.
const SCALARS: Record<number, Json> = {
  1: { type: 'number' }, // double
  2: { type: 'number' }, // float
  3: { type: 'string', format: 'int64' }, // int64
  4: { type: 'string', format: 'uint64' }, // uint64
  5: { type: 'integer', format: 'int32' }, // int32
  6: { type: 'string', format: 'uint64' }, // fixed64
  7: { type: 'integer', format: 'uint32' }, // fixed32
  8: { type: 'boolean' }, // bool
  9: { type: 'string' }, // string
  12: { type: 'string', contentEncoding: 'base64' }, // bytes
  13: { type: 'integer', format: 'uint32' }, // uint32
  15: { type: 'integer', format: 'int32' }, // sfixed32
  16: { type: 'string', format: 'int64' }, // sfixed64
  17: { type: 'integer', format: 'int32' }, // sint32
  18: { type: 'string', format: 'int64' } // sint64
}

/** The Connect error body (https://connectrpc.com/docs/protocol#error-end-stream). */
export const CONNECT_ERROR_SCHEMA: Json = {
  type: 'object',
  required: ['code'],
  properties: {
    code: {
      type: 'string',
      enum: ['canceled', 'unknown', 'invalid_argument', 'deadline_exceeded', 'not_found', 'already_exists', 'permission_denied',
        'resource_exhausted', 'failed_precondition', 'aborted', 'out_of_range', 'unimplemented', 'internal', 'unavailable', 'data_loss', 'unauthenticated']
    },
    message: { type: 'string' },
    details: { type: 'array', items: { type: 'object' } }
  }
}

// The HTTP statuses the kit's error mapping (toConnectError) produces, with Connect's status for each code.
const RPC_ERRORS: Record<string, string> = {
  400: 'The request is invalid or a precondition failed (`invalid_argument`, `failed_precondition`); the platform code is in `x-error-code`',
  401: 'Not authenticated (`unauthenticated`); the platform code is in `x-error-code`',
  403: 'Not allowed (`permission_denied`)',
  404: 'Not found (`not_found`)',
  409: 'Conflicts with the current state (`already_exists`)',
  429: 'Too many requests (`resource_exhausted`); `Retry-After` says when to try again',
  503: 'A backend is unavailable (`unavailable`); `Retry-After` says when to try again'
}

// `input`: a request, whose fields Connect also accepts under their proto names.
function messageSchema (message: DescMessage, seen: string[], input: boolean): Json {
  if (seen.includes(message.typeName)) return { type: 'object' }
  const properties = Object.fromEntries(message.fields.map(field => [field.jsonName, fieldSchema(field, [...seen, message.typeName], input)]))
  // proto3 JSON leaves out fields at their default value, so none is required.
  return { type: 'object', title: message.name, additionalProperties: false, properties }
}

function fieldSchema (field: DescField, seen: string[], input: boolean): Json {
  const described = (schema: Json) => !input || field.jsonName === field.name ? schema : { ...schema, description: `also accepted as \`${field.name}\`` }
  switch (field.fieldKind) {
    case 'scalar': return described(SCALARS[field.scalar] ?? {})
    case 'enum': return described({ type: 'string', enum: field.enum.values.map(v => v.name) })
    case 'message': return described(messageSchema(field.message, seen, input))
    case 'list': {
      const items = field.listKind === 'scalar'
        ? SCALARS[field.scalar] ?? {}
        : field.listKind === 'enum' ? { type: 'string', enum: field.enum.values.map(v => v.name) } : messageSchema(field.message, seen, input)
      return described({ type: 'array', items })
    }
    case 'map': return described({ type: 'object', additionalProperties: {} })
  }
}

const json = (schema: Json) => ({ 'application/json': { schema } })

/**
 * One POST operation per Connect procedure the routes serve, under `prefix`,
 * with the request and response in the proto3 JSON mapping (what the Connect
 * protocol carries as `application/json`) and the errors as Connect error bodies.
 */
export function rpcOpenApiPaths (routes: (router: ConnectRouter) => void, prefix: string): Record<string, Record<string, unknown>> {
  const router = createConnectRouter()
  routes(router)
  return Object.fromEntries(router.handlers.map(handler => {
    const { method, service } = handler
    const errors = Object.fromEntries(Object.entries(RPC_ERRORS).map(([status, description]) => [status, { description, content: json(CONNECT_ERROR_SCHEMA) }]))
    const operation = {
      summary: `${service.name}.${method.name} (Connect RPC)`,
      description: `The Connect protocol with JSON (\`content-type: application/json\`); gRPC and gRPC-Web clients use the same path. Service \`${service.typeName}\`.`,
      tags: ['rpc'],
      operationId: `${service.typeName}.${method.name}`,
      requestBody: { required: true, content: json(messageSchema(method.input, [], true)) },
      responses: {
        200: { description: `Success: ${method.output.name}`, content: json(messageSchema(method.output, [], false)) },
        ...errors,
        415: { description: 'The content type is not one a unary Connect procedure takes (`application/json` or `application/proto`, UTF-8)', content: { 'application/problem+json': { schema: { $ref: '#/components/schemas/Problem' } } } }
      }
    }
    return [`${prefix}${handler.requestPath}`, { post: operation }]
  }))
}
