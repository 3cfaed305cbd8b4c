import { Type } from '@sinclair/typebox'
import type { App } from '@app/kit/http'
import { StrictObject } from '@app/kit/http'
import type { DevInboxStore } from '../dev-inbox-store.ts'

const QuerySchema = StrictObject({
  to: Type.Optional(Type.String({ maxLength: 320, description: 'recipient (email or E.164 phone)' })),
  channel: Type.Optional(Type.Union([Type.Literal('email'), Type.Literal('sms')])),
  limit: Type.Integer({ minimum: 1, maximum: 500, default: 50 })
})

const MessageSchema = Type.Object({
  id: Type.String(),
  channel: Type.String(),
  to: Type.String(),
  subject: Type.Union([Type.String(), Type.Null()]),
  text: Type.String(),
  html: Type.Union([Type.String(), Type.Null()]),
  createdAt: Type.String()
})

/** The development inbox: what would have been emailed or texted, as JSON (the console's /dev/inbox page reads it). Only registered when enabled. */
export function devInboxRoutes (app: App, inbox: DevInboxStore): void {
  app.get('/dev/inbox', {
    schema: {
      tags: ['development'],
      summary: 'Messages captured instead of sent (development only), newest first; the gateway shows them as a page to a browser (/dev/inbox)',
      querystring: QuerySchema,
      response: { 200: Type.Object({ items: Type.Array(MessageSchema) }) }
    }
  }, async (request) => ({ items: await inbox.list(request.query) }))

  app.delete('/dev/inbox', {
    schema: { tags: ['development'], summary: 'Empty the dev inbox', response: { 204: Type.Null() } }
  }, async (_request, reply) => {
    await inbox.clear()
    return reply.code(204).send(null)
  })
}
