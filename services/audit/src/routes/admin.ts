import type { App } from '@app/kit/http'
import { problemResponses, requireAdmin } from '@app/kit/http'
import type { AuditService } from '../audit-service.ts'
import { AuditListQuerySchema, AuditPageSchema, VerifyResultSchema } from '../schemas.ts'

const admin = { tags: ['audit'], security: [{ bearer: [] }] }

// An onRequest hook, so an anonymous request is answered 401 before its query is validated.
const adminOnly = async (request: Parameters<typeof requireAdmin>[0]) => { requireAdmin(request) }

/** What administrators read of the trail. */
export function adminRoutes (app: App, audit: AuditService): void {
  app.get('/api/v1/audit/events', {
    onRequest: adminOnly,
    schema: {
      ...admin,
      summary: 'List audit events (admin)',
      description: 'Every event of the platform, stored once with its place in the hash chain. Newest first; pass `nextCursor` back as `cursor` for older events. ' +
        'Filters combine: `userId` matches the event subject, `type` is exact or a prefix ending in `.*`, `from` (inclusive) and `to` (exclusive) bound the event time. ' +
        'Payload members named like password, token, code, otp or secret are never stored.',
      querystring: AuditListQuerySchema,
      response: { 200: AuditPageSchema, ...problemResponses(400, 401, 403) }
    }
  }, async (request) => audit.list(request.query))

  app.get('/api/v1/audit/verify', {
    onRequest: adminOnly,
    schema: {
      ...admin,
      summary: 'Verify the hash chain (admin)',
      description: 'Re-reads the whole trail in chain order, recomputing every hash and link. `ok: false` names the first entry that does not continue the chain, and why; ' +
        'nothing after it is checked. Takes time proportional to the trail.',
      response: { 200: VerifyResultSchema, ...problemResponses(401, 403) }
    }
  }, async () => audit.verify())
}
