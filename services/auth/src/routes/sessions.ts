import { Type } from '@sinclair/typebox'
import type { App } from '@app/kit/http'
import { StrictObject, problemResponses } from '@app/kit/http'
import type { SessionCaller } from '../reauth.ts'
import type { Sessions } from '../sessions.ts'
import type { FastifyRequest } from 'fastify'

const tags = ['auth', 'sessions']
const security = [{ bearer: [] }]

export const SessionSchema = Type.Object({
  id: Type.String({ format: 'uuid' }),
  createdAt: Type.String({ format: 'date-time', description: 'when the login happened' }),
  lastUsedAt: Type.String({ format: 'date-time', description: 'the last login or refresh of this session' }),
  ip: Type.Union([Type.String(), Type.Null()], { description: 'the client address at login, as the gateway saw it' }),
  userAgent: Type.Union([Type.String(), Type.Null()], { description: 'the client\'s User-Agent at login' }),
  current: Type.Boolean({ description: 'the session of the access token of this request' })
})

export function sessionRoutes (app: App, sessions: Sessions, callerOf: (request: FastifyRequest) => Promise<SessionCaller>): void {
  app.get('/api/v1/auth/sessions', {
    schema: {
      tags,
      security,
      summary: 'List my active sessions',
      description: 'Every session of the bearer\'s account that can still be refreshed, most recently used first; `current` marks the caller\'s own.',
      response: { 200: Type.Object({ items: Type.Array(SessionSchema) }), ...problemResponses(401) }
    }
  }, async (request) => {
    const caller = await callerOf(request)
    return { items: await sessions.list(caller.userId, caller.sessionId) }
  })

  app.delete('/api/v1/auth/sessions/:id', {
    schema: {
      tags,
      security,
      summary: 'End one of my sessions',
      description: 'Its refresh token stops working at once and its access tokens are refused by the gateway within seconds. Emits `auth.session_ended` (`reason: user_ended`). 404 for a session that is not one of the caller\'s active ones (unknown, ended or someone else\'s alike).',
      params: StrictObject({ id: Type.String({ format: 'uuid' }) }),
      response: { 204: Type.Null(), ...problemResponses(400, 401, 404) }
    }
  }, async (request, reply) => {
    const caller = await callerOf(request)
    await sessions.end(caller.userId, request.params.id)
    return reply.code(204).send(null)
  })
}
