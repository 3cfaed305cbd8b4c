import { Type } from '@sinclair/typebox'
import type { App } from '@app/kit/http'
import { StrictObject, problemResponses } from '@app/kit/http'
import type { AuthService } from '../auth-service.ts'
import type { RevocationFeed } from '../revocation-feed.ts'

const UserIdParams = StrictObject({ id: Type.String({ format: 'uuid' }) })
const RevokeBody = StrictObject({
  exceptSessionId: Type.Optional(Type.String({ format: 'uuid', description: 'keep this session (the caller\'s own, after a password change)' })),
  reason: Type.String({ pattern: '^[a-z_]{1,40}$', description: 'recorded on each ended session, e.g. password_reset, disabled, deleted' })
})

/** Service-to-service routes; the kit refuses them without the service credential. */
export function internalRoutes (app: App, auth: AuthService, revocations: RevocationFeed): void {
  app.get('/internal/auth/revocations', {
    // Every gateway asks every second: an access line each time would drown the log.
    logLevel: 'warn',
    schema: {
      tags: ['internal'],
      security: [{ serviceToken: [] }],
      summary: 'Sessions ended recently',
      description: 'The gateway polls this to refuse the access tokens of ended sessions before they expire, with or without Redis.',
      querystring: StrictObject({
        since: Type.Optional(Type.String({ format: 'date-time' })),
        afterId: Type.Optional(Type.String({ format: 'uuid', description: 'with `since`: continue after the row (`since`, `afterId`), the `until` and `lastId` of a page that had `more`' }))
      }),
      response: {
        200: Type.Object({
          until: Type.String({ format: 'date-time' }),
          windowSeconds: Type.Integer(),
          sessions: Type.Array(Type.Object({ id: Type.String(), revokedAt: Type.String({ format: 'date-time' }) })),
          more: Type.Boolean(),
          lastId: Type.Optional(Type.String({ description: 'with `more`: the last row\'s id; ask again with `since=until&afterId=lastId`' }))
        }),
        ...problemResponses(400, 401)
      }
    }
  }, async (request) => revocations.since(request.query.since === undefined ? undefined : new Date(request.query.since), request.query.since === undefined ? undefined : request.query.afterId))

  app.post('/internal/auth/users/:id/revoke-sessions', {
    schema: {
      tags: ['internal'],
      security: [{ serviceToken: [] }],
      summary: 'End every session of a user, optionally but one',
      description: 'Idempotent. The sessions\' access tokens are refused by the gateway within seconds. The user service calls it when it disables (`reason: disabled`) or deletes (`reason: deleted`) an account, which emits one `auth.session_ended` per session; other reasons (`password_reset`, `password_change`) emit `auth.logged_out`.',
      params: UserIdParams,
      body: RevokeBody,
      response: { 200: Type.Object({ revoked: Type.Integer() }), ...problemResponses(400, 401) }
    }
  }, async (request) => {
    const ended = await auth.revokeSessions(request.params.id, { except: request.body.exceptSessionId ?? null }, request.body.reason)
    return { revoked: ended.length }
  })
}
