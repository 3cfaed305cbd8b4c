import { Type } from '@sinclair/typebox'
import type { FastifyReply, FastifyRequest } from 'fastify'
import type { AppError } from '../errors/index.ts'
import { OUTAGE_RETRY_AFTER_SECONDS } from '../errors/index.ts'

/** RFC 9457 problem details, as every non-2xx response of the platform carries them. */
export const ProblemSchema = Type.Object({
  type: Type.String(),
  title: Type.String(),
  status: Type.Integer(),
  detail: Type.String(),
  code: Type.String({ description: 'stable machine-readable error code, see docs/errors.md' }),
  requestId: Type.String(),
  errors: Type.Optional(Type.Array(Type.Object({ path: Type.String(), message: Type.String() })))
}, { $id: 'Problem', additionalProperties: true })

export function problemType (code: string): string {
  return `https://gatehouse.dev/problems/${code}`
}

export function sendProblem (request: FastifyRequest, reply: FastifyReply, error: AppError): FastifyReply {
  const body = {
    type: problemType(error.code),
    title: error.message,
    status: error.status,
    detail: error.detail,
    code: error.code,
    requestId: String(request.id),
    ...(error.errors ? { errors: error.errors } : {}),
    ...error.extra
  }
  if (error.headers) reply.headers(error.headers)
  // Every 503 tells the client when to come back, whoever raised it.
  if (error.status === 503 && !reply.hasHeader('retry-after')) reply.header('retry-after', String(OUTAGE_RETRY_AFTER_SECONDS))
  return reply.code(error.status)
    .header('content-type', 'application/problem+json; charset=utf-8')
    .header('x-error-code', error.code)
    .send(JSON.stringify(body))
}
