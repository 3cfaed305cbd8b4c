import { randomUUID } from 'node:crypto'
import { Type } from '@sinclair/typebox'
import { sealSecrets } from '@app/contracts/delivery'
import type { SealKeys } from '@app/contracts/delivery'
import type { App } from '@app/kit/http'
import { StrictObject, problemResponses } from '@app/kit/http'
import { KitErrors } from '@app/kit/errors'
import { missingVariables } from '../deliveries/compose.ts'
import type { Queue } from '../deliveries/queue.ts'
import type { Channel } from '../providers/provider.ts'
import type { Templates } from '../templates/catalogue.ts'
import { CUSTOM_TEMPLATE } from '../templates/definitions.ts'

const Email = Type.String({ minLength: 3, maxLength: 320 })
const Phone = Type.String({ minLength: 4, maxLength: 32, description: 'E.164' })

const Templated = {
  template: Type.String({ minLength: 1, maxLength: 100, description: 'a template name, such as `order_confirmation` or `otp_code`' }),
  variables: Type.Optional(Type.Record(Type.String(), Type.Unknown(), { description: 'the template\'s variables; kept sealed until the send' })),
  locale: Type.Optional(Type.String({ minLength: 2, maxLength: 35, description: 'e.g. `de`; default `en`' })),
  userId: Type.Optional(Type.String({ maxLength: 100, description: 'the user it is for: it then shows in their delivery history' }))
}

const EmailBodySchema = Type.Union([
  StrictObject({
    to: Email,
    subject: Type.String({ minLength: 1, maxLength: 200 }),
    text: Type.String({ minLength: 1, maxLength: 20_000 }),
    html: Type.Optional(Type.String({ maxLength: 100_000 })),
    userId: Templated.userId
  }, { title: 'raw email' }),
  StrictObject({ to: Email, ...Templated }, { title: 'templated email' })
])

const SmsBodySchema = Type.Union([
  StrictObject({ to: Phone, text: Type.String({ minLength: 1, maxLength: 1600 }), userId: Templated.userId }, { title: 'raw SMS' }),
  StrictObject({ to: Phone, ...Templated }, { title: 'templated SMS' })
])

interface SendBody {
  to: string
  userId?: string | undefined
  subject?: string
  text?: string
  html?: string | undefined
  template?: string
  variables?: Record<string, unknown> | undefined
  locale?: string | undefined
}

const IdempotencyHeaders = Type.Object({
  'idempotency-key': Type.Optional(Type.String({ minLength: 1, maxLength: 200, description: 'a repeated request with the same key queues nothing new and answers the first id' }))
})

const Accepted = { 202: Type.Object({ id: Type.String({ description: 'the delivery id' }) }), ...problemResponses(400, 401) }
const internal = { tags: ['internal'], security: [{ serviceToken: [] }] }

/** send-email / send-sms for other services: a template and its variables, or a ready subject and text. */
export function internalRoutes (app: App, queue: Queue, templates: Templates, sealKeys: SealKeys): void {
  async function send (channel: Channel, body: SendBody, idempotencyKey: string | undefined): Promise<string> {
    const template = body.template ?? CUSTOM_TEMPLATE
    const values = body.template
      ? body.variables ?? {}
      : { subject: body.subject, text: body.text, html: body.html }
    if (body.template) {
      if (!templates.has(body.template)) {
        throw KitErrors.validation_failed({ detail: `No template ${body.template}`, errors: [{ path: '/body/template', message: 'is not a known template' }] })
      }
      const missing = missingVariables(body.template, values, channel)
      if (missing.length > 0) {
        throw KitErrors.validation_failed({ detail: `Template ${body.template} needs ${missing.join(', ')}`, errors: missing.map(name => ({ path: `/body/variables/${name}`, message: 'is required' })) })
      }
    }
    const { id } = await queue({
      idempotencyKey: `api:${channel}:${idempotencyKey ?? randomUUID()}`,
      userId: body.userId ?? null,
      channel,
      to: body.to,
      template,
      locale: body.locale ?? 'en',
      variables: {},
      // A caller's content may hold anything (a code, a link): all of it stays sealed at rest.
      sealed: sealSecrets(values as Record<string, string>, sealKeys)
    })
    return id
  }

  app.post('/internal/notifications/email', {
    schema: { ...internal, summary: 'Send an email', body: EmailBodySchema, headers: IdempotencyHeaders, response: Accepted }
  }, async (request, reply) => reply.code(202).send({ id: await send('email', request.body, request.headers['idempotency-key']) }))

  app.post('/internal/notifications/sms', {
    schema: { ...internal, summary: 'Send an SMS', body: SmsBodySchema, headers: IdempotencyHeaders, response: Accepted }
  }, async (request, reply) => reply.code(202).send({ id: await send('sms', request.body, request.headers['idempotency-key']) }))
}
