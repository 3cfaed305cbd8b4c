import { Type } from '@sinclair/typebox'
import type { App } from '@app/kit/http'
import { StrictObject, problemResponses } from '@app/kit/http'
import type { Deliver } from '../deliver.ts'

const EmailBodySchema = StrictObject({
  to: Type.String({ minLength: 3, maxLength: 320 }),
  subject: Type.String({ minLength: 1, maxLength: 200 }),
  text: Type.String({ minLength: 1, maxLength: 20_000 }),
  html: Type.Optional(Type.String({ maxLength: 100_000 }))
})

const SmsBodySchema = StrictObject({
  to: Type.String({ minLength: 4, maxLength: 32, description: 'E.164' }),
  text: Type.String({ minLength: 1, maxLength: 1600 })
})

const Accepted = { 202: Type.Object({ id: Type.String() }), ...problemResponses(400, 401, 503) }
const internal = { tags: ['internal'], security: [{ serviceToken: [] }] }

/** send-email / send-sms for other services. */
export function internalRoutes (app: App, deliver: Deliver): void {
  app.post('/internal/notifications/email', {
    schema: { ...internal, summary: 'Send an email', body: EmailBodySchema, response: Accepted }
  }, async (request, reply) => reply.code(202).send({ id: await deliver({ channel: 'email', ...request.body }) }))

  app.post('/internal/notifications/sms', {
    schema: { ...internal, summary: 'Send an SMS', body: SmsBodySchema, response: Accepted }
  }, async (request, reply) => reply.code(202).send({ id: await deliver({ channel: 'sms', ...request.body }) }))
}
