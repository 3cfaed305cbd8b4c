import { Type } from '@sinclair/typebox'
import type { FastifyRequest } from 'fastify'
import type { App } from '@app/kit/http'
import { StrictObject, problemResponses } from '@app/kit/http'
import { KitErrors } from '@app/kit/errors'
import type { AuthService } from '../auth-service.ts'
import type { Sessions } from '../sessions.ts'
import { bearer } from '../session-caller.ts'
import { SessionSchema } from './sessions.ts'

const tags = ['auth', 'sessions']
const security = [{ bearer: [] }]

interface AdminCaller { userId: string, sessionId: string | null }

/**
 * The administrator calling: as the gateway's identity assertion names them,
 * or (a call straight to this service) from the access token, checked here.
 * 401 without either, 403 for anyone without the admin role.
 */
export function adminCallerOf (auth: Pick<AuthService, 'validate'>) {
  return async (request: FastifyRequest): Promise<AdminCaller> => {
    const asserted = request.caller
    let caller: (AdminCaller & { roles: string[] }) | undefined
    if (asserted) caller = { userId: asserted.userId, sessionId: asserted.sessionId, roles: asserted.roles }
    else {
      const token = bearer(request.headers.authorization)
      const validation = token ? await auth.validate(token) : undefined
      if (validation?.valid) caller = { userId: validation.sub, sessionId: validation.sid, roles: validation.roles ?? [] }
    }
    if (!caller) throw KitErrors.unauthorized('A valid access token is required (Authorization: Bearer <accessToken>)')
    if (!caller.roles.includes('admin')) throw KitErrors.forbidden('This route is for administrators')
    return { userId: caller.userId, sessionId: caller.sessionId }
  }
}

const UserSessionParams = StrictObject({ id: Type.String({ format: 'uuid', description: 'the user\'s id' }) })
const OneSessionParams = StrictObject({
  id: Type.String({ format: 'uuid', description: 'the user\'s id' }),
  sid: Type.String({ format: 'uuid', description: 'the session\'s id' })
})

/** What administrators see and end of anyone's sessions (the admin console's user page). */
export function adminSessionRoutes (app: App, sessions: Sessions, adminOf: (request: FastifyRequest) => Promise<AdminCaller>): void {
  // An onRequest hook, so an anonymous or non-admin request is answered before its parameters are validated.
  const adminOnly = async (request: FastifyRequest) => { await adminOf(request) }

  app.get('/api/v1/auth/users/:id/sessions', {
    onRequest: adminOnly,
    schema: {
      tags,
      security,
      summary: 'List a user\'s active sessions (admin)',
      description: 'Every session of the user that can still be refreshed, most recently used first, as the user sees them in GET /api/v1/auth/sessions ' +
        '(`current` marks the administrator\'s own session, so it is true only on their own account). An unknown user has no sessions: `200` with no items.',
      params: UserSessionParams,
      response: { 200: Type.Object({ items: Type.Array(SessionSchema) }), ...problemResponses(400, 401, 403) }
    }
  }, async (request) => {
    const admin = await adminOf(request)
    return { items: await sessions.list(request.params.id, admin.sessionId) }
  })

  app.delete('/api/v1/auth/users/:id/sessions/:sid', {
    onRequest: adminOnly,
    schema: {
      tags,
      security,
      summary: 'End a user\'s session (admin)',
      description: 'Its refresh token stops working at once and its access tokens are refused by the gateway within seconds. ' +
        'Emits `auth.session_ended` (`reason: admin_ended`, `by`: the administrator). 404 when the session is not an active one of that user.',
      params: OneSessionParams,
      response: { 204: Type.Null(), ...problemResponses(400, 401, 403, 404) }
    }
  }, async (request, reply) => {
    const admin = await adminOf(request)
    await sessions.end(request.params.id, request.params.sid, admin.userId)
    return reply.code(204).send(null)
  })
}
