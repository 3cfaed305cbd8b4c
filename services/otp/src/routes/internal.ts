import { Type } from '@sinclair/typebox'
import type { App } from '@app/kit/http'
import { problemResponses } from '@app/kit/http'
import type { OtpService } from '../otp-service.ts'
import { defaultOtpFlow } from '@app/contracts/verification'
import { InternalSendBodySchema, InternalVerifyBodySchema, ValidSchema } from '../schemas.ts'

const internal = { tags: ['internal'], security: [{ serviceToken: [] }] }

/** What other services use: the same rules as the public routes, with the user id attached to the events. */
export function internalRoutes (app: App, otp: OtpService): void {
  app.post('/internal/otp/send', {
    schema: { ...internal, summary: 'Generate and send a code', body: InternalSendBodySchema, response: { 202: Type.Ref('OtpSent'), ...problemResponses(400, 401, 429) } }
  }, async (request, reply) => {
    const { clientIp, flow, ...rest } = request.body
    return reply.code(202).send(await otp.generate({ ...rest, flow: flow ?? defaultOtpFlow(rest.purpose), ip: clientIp }))
  })

  app.post('/internal/otp/verify', {
    schema: { ...internal, summary: 'Check and spend a code', body: InternalVerifyBodySchema, response: { 200: ValidSchema, ...problemResponses(400, 401, 410, 429) } }
  }, async (request) => otp.validate({ ...request.body, flow: request.body.flow ?? defaultOtpFlow(request.body.purpose) }))
}
