import { Type } from '@sinclair/typebox'
import type { FastifyRequest } from 'fastify'
import type { App } from '@app/kit/http'
import { StrictObject, clientIp, problemResponses } from '@app/kit/http'
import type { Reauth, SessionCaller } from '../reauth.ts'

const tags = ['auth']
const security = [{ bearer: [] }]
const Channel = Type.Union([Type.Literal('sms'), Type.Literal('email')])

const ReauthBody = StrictObject({
  password: Type.Optional(Type.String({ minLength: 1, maxLength: 1024 })),
  otp: Type.Optional(Type.String({ pattern: '^[0-9]{4,10}$', description: 'the code from POST /api/v1/auth/reauthenticate/start' }))
}, { description: 'exactly one of password or otp' })

export function reauthRoutes (app: App, reauth: Reauth, callerOf: (request: FastifyRequest) => Promise<SessionCaller>): void {
  app.post('/api/v1/auth/reauthenticate', {
    schema: {
      tags,
      security,
      summary: 'Prove who I am again, for a sensitive change',
      description: 'With the account\'s password, or the code sent by `POST /api/v1/auth/reauthenticate/start`. Answers a new pair for the same session whose access token carries a fresh `auth_time`: changes that answer `403 reauth_required` then go through for a few minutes (`REAUTH_MAX_AGE_SECONDS`). 5 wrong passwords per 15 minutes, then 429.',
      body: ReauthBody,
      response: { 200: Type.Ref('TokenPair'), ...problemResponses(400, 401, 403, 410, 429) }
    }
  }, async (request) => reauth.reauthenticate(await callerOf(request), request.body, request.id))

  app.post('/api/v1/auth/reauthenticate/start', {
    schema: {
      tags,
      security,
      summary: 'Send me a code to prove who I am again',
      description: 'To the verified phone (`sms`, the default when there is one) or the verified email. 400 `reauth_unavailable` when the account has no such contact.',
      body: Type.Optional(StrictObject({ channel: Type.Optional(Channel) })),
      response: { 202: Type.Object({ message: Type.String(), channel: Channel }), ...problemResponses(400, 401, 403, 429) }
    }
  }, async (request, reply) => {
    const caller = await callerOf(request)
    return reply.code(202).send(await reauth.start(caller, request.body?.channel, clientIp(request), request.id))
  })
}
