import { Type } from '@sinclair/typebox'
import type { App } from '@app/kit/http'
import { StrictObject, problemResponses } from '@app/kit/http'
import type { AuthService } from '../auth-service.ts'

const UserIdParams = StrictObject({ id: Type.String({ format: 'uuid' }) })
const RevokeBody = StrictObject({
  exceptSessionId: Type.Optional(Type.String({ format: 'uuid', description: 'keep this session (the caller\'s own, after a password change)' })),
  reason: Type.String({ pattern: '^[a-z_]{1,40}$', description: 'recorded on each ended session, e.g. password_reset' })
})

/** Service-to-service routes; the kit refuses them without the service credential. */
export function internalRoutes (app: App, auth: AuthService): void {
  app.post('/internal/auth/users/:id/revoke-sessions', {
    schema: {
      tags: ['internal'],
      security: [{ serviceToken: [] }],
      summary: 'End every session of a user, optionally but one',
      description: 'Idempotent. The sessions\' access tokens are refused by the gateway within seconds.',
      params: UserIdParams,
      body: RevokeBody,
      response: { 200: Type.Object({ revoked: Type.Integer() }), ...problemResponses(400, 401) }
    }
  }, async (request) => {
    const ended = await auth.revokeSessions(request.params.id, { except: request.body.exceptSessionId ?? null }, request.body.reason)
    return { revoked: ended.length }
  })
}
