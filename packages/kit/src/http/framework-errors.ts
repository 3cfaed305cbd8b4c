import type { FastifyError, FastifyReply, FastifyRequest } from 'fastify'
import { KitErrors } from '../errors/index.ts'
import { toAppError } from './error-handler.ts'
import { sendProblem } from './problem.ts'

/**
 * Fastify's `frameworkErrors`: the router refusing a URL (a bad percent escape,
 * invalid UTF-8, a path segment over `maxParamLength`) before any route or hook
 * runs. Answered as problem+json like every other error, instead of Fastify's own JSON.
 */
export function answerFrameworkError (err: FastifyError, request: FastifyRequest, reply: FastifyReply): void {
  const problem = err.code === 'FST_ERR_MAX_PARAM_LENGTH'
    ? KitErrors.validation_failed('A path segment of the URL is too long')
    : toAppError(err)
  reply.header('x-request-id', request.id)
  sendProblem(request, reply, problem)
}
