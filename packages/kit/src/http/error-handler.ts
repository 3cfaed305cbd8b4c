import type { FastifyError, FastifyInstance } from 'fastify'
import { AppError, asOutage, isAppError, isBackendOutage, KitErrors } from '../errors/index.ts'
import type { FieldError } from '../errors/index.ts'
import { invalidDataError, isPgDataException } from '../errors/pg-data-exception.ts'
import { sendProblem } from './problem.ts'

interface ValidationIssue {
  instancePath: string
  message?: string
  keyword: string
  params: Record<string, unknown>
}

function fieldErrors (context: string, issues: ValidationIssue[]): FieldError[] {
  return issues.map(issue => {
    let path = `/${context}${issue.instancePath}`
    if (issue.keyword === 'required') path += `/${String(issue.params.missingProperty)}`
    if (issue.keyword === 'additionalProperties') {
      return { path: `${path}/${String(issue.params.additionalProperty)}`, message: 'is not an allowed field' }
    }
    return { path, message: issue.message ?? 'is invalid' }
  })
}

const BY_FASTIFY_CODE: Record<string, (err: FastifyError) => AppError> = {
  FST_ERR_CTP_INVALID_JSON_BODY: () => KitErrors.malformed_json(),
  FST_ERR_CTP_EMPTY_JSON_BODY: () => KitErrors.malformed_json('Request body is empty but the content-type says JSON'),
  FST_ERR_CTP_BODY_TOO_LARGE: () => KitErrors.payload_too_large(),
  FST_ERR_CTP_INVALID_MEDIA_TYPE: (err) => KitErrors.unsupported_media_type(err.message),
  FST_ERR_CTP_INVALID_CONTENT_LENGTH: () => KitErrors.validation_failed('Content-Length does not match the body'),
  FST_ERR_BAD_URL: () => KitErrors.validation_failed('The URL is malformed')
}

const BY_STATUS: Record<number, () => AppError> = {
  400: () => KitErrors.validation_failed(),
  401: () => KitErrors.unauthorized(),
  403: () => KitErrors.forbidden(),
  404: () => KitErrors.not_found(),
  405: () => KitErrors.method_not_allowed(),
  413: () => KitErrors.payload_too_large(),
  415: () => KitErrors.unsupported_media_type(),
  429: () => KitErrors.rate_limited()
}

/** Turns anything thrown by a route into an AppError; a non-AppError 5xx never leaks its message. */
export function toAppError (err: FastifyError): AppError {
  if (isAppError(err)) return err
  if (err.validation) {
    const errors = fieldErrors(err.validationContext ?? 'body', err.validation as ValidationIssue[])
    const first = errors[0]
    return KitErrors.validation_failed({ detail: first ? `${first.path.slice(1)} ${first.message}` : err.message, errors })
  }
  const byCode = err.code ? BY_FASTIFY_CODE[err.code] : undefined
  if (byCode) return byCode(err)
  if (isBackendOutage(err)) return asOutage(err, 'backend') as AppError
  if (isPgDataException(err)) return invalidDataError(err)
  if (err instanceof SyntaxError && err.statusCode === 400) return KitErrors.malformed_json()
  const status = err.statusCode ?? 500
  if (status >= 400 && status < 500) {
    const make = BY_STATUS[status] ?? (() => new AppError('bad_request', status, 'Bad request'))
    return make()
  }
  return KitErrors.internal({ cause: err })
}

/** The one place errors become HTTP responses. */
export function installErrorHandling (app: FastifyInstance): void {
  app.setErrorHandler((err: FastifyError, request, reply) => {
    const appError = toAppError(err)
    // The client hung up (a closed tab, a load generator stopping): nothing failed on our side.
    if (request.raw.destroyed || reply.raw.destroyed) {
      request.log.debug({ err }, 'client went away')
    } else if (appError.status >= 500) {
      request.log.error({ err: appError.code === 'internal' ? err : appError.cause ?? appError }, 'request failed')
    }
    return sendProblem(request, reply, appError)
  })
  app.setNotFoundHandler((request, reply) =>
    sendProblem(request, reply, KitErrors.not_found(`No route for ${request.method} ${request.url.split('?')[0]}`)))
}
