import { createEvent } from '@app/kit/bus'
import type { App } from '@app/kit/http'
import { problemResponses } from '@app/kit/http'
import { Type } from '@sinclair/typebox'
import type { AuditService } from '../audit-service.ts'
import { LogEventBodySchema } from '../schemas.ts'

const DEFAULT_SOURCE = '/services/audit'

/** Service-to-service routes; the kit refuses them without the service credential. */
export function internalRoutes (app: App, audit: AuditService, now: () => Date): void {
  app.post('/internal/audit/events', {
    schema: {
      tags: ['internal'],
      security: [{ serviceToken: [] }],
      summary: 'Record an event in the audit trail (log-event)',
      description: 'For services that write to the trail directly instead of publishing an event. The entry joins the same hash chain, timed now. ' +
        'Idempotent on `id`: 201 when stored, 200 with the stored entry when that event is already there, 409 `audit_event_id_conflict` when the id holds another event. ' +
        'Members of `data` named like password, token, code, otp or secret are dropped, at any depth, before hashing: never send secrets.',
      body: LogEventBodySchema,
      response: { 200: Type.Ref('AuditEvent'), 201: Type.Ref('AuditEvent'), ...problemResponses(400, 401, 409, 413, 415) }
    }
  }, async (request, reply) => {
    const { type, subject, data, source = DEFAULT_SOURCE, id } = request.body
    const event = createEvent(source, type, data, subject, now())
    const { entry, created } = await audit.logEvent({ ...event, id: id ?? event.id })
    return reply.code(created ? 201 : 200).send(entry)
  })
}
