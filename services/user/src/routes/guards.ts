import { requireAdmin, requireCaller } from '@app/kit/http'

type Request = Parameters<typeof requireCaller>[0]

// As onRequest hooks, so an anonymous request is answered 401 before its input is validated.
export const authenticated = async (request: Request) => { requireCaller(request) }
export const adminOnly = async (request: Request) => { requireAdmin(request) }

/** OpenAPI: the route needs an access token (the gateway turns it into the caller). */
export const bearer = { tags: ['users'], security: [{ bearer: [] }] }
