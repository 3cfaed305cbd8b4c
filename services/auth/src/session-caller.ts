import type { FastifyRequest } from 'fastify'
import { KitErrors } from '@app/kit/errors'
import type { AuthService } from './auth-service.ts'
import type { SessionCaller } from './reauth.ts'

/** The token of an `Authorization: Bearer` header. */
export function bearer (header: string | undefined): string | undefined {
  const match = /^Bearer\s+(\S+)\s*$/i.exec(header ?? '')
  return match?.[1]
}

/**
 * The session calling a bearer route: as the gateway's identity assertion
 * names it, or (a call straight to this service) from the access token,
 * checked here. 401 without either.
 */
export function sessionCallerOf (auth: Pick<AuthService, 'validate'>) {
  return async (request: FastifyRequest): Promise<SessionCaller> => {
    const asserted = request.caller
    if (asserted?.sessionId) return { userId: asserted.userId, sessionId: asserted.sessionId }
    const token = bearer(request.headers.authorization)
    const validation = token ? await auth.validate(token) : undefined
    if (!validation?.valid) throw KitErrors.unauthorized('A valid access token is required (Authorization: Bearer <accessToken>)')
    return { userId: validation.sub, sessionId: validation.sid }
  }
}
