import { Type } from '@sinclair/typebox'
import type { App } from '@app/kit/http'
import { clientIp, problemResponses } from '@app/kit/http'
import { KitErrors } from '@app/kit/errors'
import { parseDestination } from '../destination.ts'
import type { OtpService } from '../otp-service.ts'
import { DestinationBodySchema, GenerateBodySchema, ValidateBodySchema, ValidSchema } from '../schemas.ts'

const tags = ['otp']
const accepted = { 202: Type.Ref('OtpSent'), ...problemResponses(400, 410, 429) }

export function publicRoutes (app: App, otp: OtpService): void {
  app.post('/api/v1/otp/generate', {
    schema: {
      tags,
      summary: 'Send a 6-digit code to a phone or email',
      description: 'Replaces any live code for the destination and purpose that this API sent. Valid 10 minutes, 5 tries. Codes from this API only validate here: they never complete a phone sign-up, login, reset or other flow, and their limits are kept apart from the owner\'s own codes. Limited per destination, per client IP and overall; SMS sends are also screened against SMS pumping (allowed countries, bursts to one number prefix, many numbers from one client, collapsed conversion). 429 `rate_limited` with `Retry-After`, and nothing is sent.',
      body: GenerateBodySchema,
      response: accepted
    }
  }, async (request, reply) => {
    const { destination, purpose, channel } = request.body
    if (channel && parseDestination(destination).channel !== channel) {
      throw KitErrors.validation_failed({ detail: `channel ${channel} does not match the destination`, errors: [{ path: '/body/channel', message: 'must be sms for a phone number and email for an address' }] })
    }
    return reply.code(202).send(await otp.generate({ destination, purpose, flow: 'public', ip: clientIp(request) }))
  })

  app.post('/api/v1/otp/resend', {
    schema: {
      tags,
      summary: 'Send the same live code again',
      description: 'The code is never in the response. 410 `otp_expired` when no code is live (regenerate instead); 429 within the cooldown.',
      body: DestinationBodySchema,
      response: accepted
    }
  }, async (request, reply) => reply.code(202).send(await otp.resend({ ...request.body, flow: 'public', ip: clientIp(request) })))

  app.post('/api/v1/otp/regenerate', {
    schema: {
      tags,
      summary: 'Replace the live code with a new one',
      description: 'The old code stops working at once. Wrong tries against earlier codes still count against the destination\'s hourly budget.',
      body: DestinationBodySchema,
      response: accepted
    }
  }, async (request, reply) => reply.code(202).send(await otp.regenerate({ ...request.body, flow: 'public', ip: clientIp(request) })))

  app.post('/api/v1/otp/validate', {
    schema: {
      tags,
      summary: 'Check a code',
      description: 'Success spends the code. Wrong: 400 `otp_invalid` with `attemptsLeft`; expired or none: 410 `otp_expired`; 5 wrong tries: 429 `otp_attempts_exceeded`; too many failures for the destination in an hour: 429 `rate_limited`.',
      body: ValidateBodySchema,
      response: { 200: ValidSchema, ...problemResponses(400, 410, 429) }
    }
  }, async (request) => otp.validate({ ...request.body, flow: 'public' }))
}
