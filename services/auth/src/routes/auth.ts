import { Type } from '@sinclair/typebox'
import type { FastifyRequest } from 'fastify'
import type { App } from '@app/kit/http'
import { problemResponses } from '@app/kit/http'
import type { AuthService } from '../auth-service.ts'
import { DEVICE_COOKIE, DEVICE_HEADER, deviceCookie, presentedDeviceToken } from '../device-cookie.ts'
import type { DeviceCookieOptions } from '../device-cookie.ts'
import { LoginBodySchema, RefreshBodySchema, ValidateBodySchema, ValidationSchema } from '../schemas.ts'

const tags = ['auth']
const pair = { 200: Type.Ref('TokenPair') }
const noContent = { 204: Type.Null() }

function bearer (header: string | undefined): string | undefined {
  const match = /^Bearer\s+(\S+)\s*$/i.exec(header ?? '')
  return match?.[1]
}

export interface AuthRouteOptions {
  /** The client's address as the gateway vouched for it (its trusted-proxy setting decides). */
  clientIp: (request: FastifyRequest) => string
  deviceCookie: DeviceCookieOptions
}

const LoginHeadersSchema = Type.Object({
  [DEVICE_HEADER]: Type.Optional(Type.String({ maxLength: 160, description: `the device token from an earlier login's \`${DEVICE_HEADER}\` answer header, for clients without cookies` }))
})

export function authRoutes (app: App, auth: AuthService, options: AuthRouteOptions): void {
  app.post('/api/v1/auth/login', {
    schema: {
      tags,
      summary: 'Log in with an email or phone and a password',
      description: 'Emits `auth.login_succeeded` or `auth.login_failed`. Failed logins are limited per identifier and client: ' +
        'after a few, each further try of that client waits longer (429 `rate_limited` with `Retry-After` and `RateLimit-*`), ' +
        'and clients that never logged in to the account share an hourly ceiling per identifier. A client that logged in before ' +
        '(its device token, or its IP network) is not held back by other clients\' failures. A successful login answers the device token ' +
        `in the \`${DEVICE_COOKIE}\` cookie (HttpOnly, SameSite=Lax, Path=/api/v1/auth) and the \`${DEVICE_HEADER}\` header; send it back with later logins. ` +
        'With two-step login on: `{ mfaRequired: true, challengeId, channel }` instead of tokens; answer it at `POST /api/v1/auth/mfa/verify`. ' +
        'A disabled account gets 403 `account_disabled` (after the right password only).',
      headers: LoginHeadersSchema,
      body: LoginBodySchema,
      response: { 200: Type.Union([Type.Ref('TokenPair'), Type.Ref('MfaChallenge')]), ...problemResponses(400, 401, 403, 429, 503) }
    }
  }, async (request, reply) => {
    const userAgent = request.headers['user-agent']
    const outcome = await auth.login(request.body, {
      requestId: request.id,
      ip: options.clientIp(request),
      userAgent: typeof userAgent === 'string' ? userAgent : undefined,
      deviceToken: presentedDeviceToken(request)
    })
    reply.header('set-cookie', deviceCookie(outcome.deviceToken, request, options.deviceCookie))
    reply.header(DEVICE_HEADER, outcome.deviceToken)
    reply.header('cache-control', 'no-store')
    return outcome.body
  })

  app.post('/api/v1/auth/refresh', {
    schema: {
      tags,
      summary: 'Trade a refresh token for a new pair',
      description: 'The token is spent. Presented again within `AUTH_REFRESH_REUSE_INTERVAL_SECONDS` (10 s; two tabs, a retry), it gets a pair of its own in the same session; later, it ends its whole session (401 `token_reused`). A disabled account gets 403 `account_disabled`, and its session ends.',
      body: RefreshBodySchema,
      response: { ...pair, ...problemResponses(400, 401, 403, 503) }
    }
  }, async (request) => auth.refresh(request.body.refreshToken, request.id))

  app.post('/api/v1/auth/validate', {
    schema: {
      tags,
      summary: 'Check an access token',
      description: 'The check the gateway makes (`verifyAccessToken` of `@app/kit/tokens`: EdDSA, typ at+jwt, kid, iss, aud, exp, iat not in the future, lifetime at most `AUTH_ACCESS_TTL_SECONDS`, jti), and that its session has not ended.',
      body: ValidateBodySchema,
      response: { 200: ValidationSchema, ...problemResponses(400) }
    }
  }, async (request) => auth.validate(request.body.token))

  app.post('/api/v1/auth/logout', {
    schema: { tags, summary: 'End the session of a refresh token', body: RefreshBodySchema, response: { ...noContent, ...problemResponses(400) } }
  }, async (request, reply) => {
    await auth.logout(request.body.refreshToken)
    return reply.code(204).send(null)
  })

  app.post('/api/v1/auth/logout-all', {
    schema: { tags, summary: 'End every session of the bearer', security: [{ bearer: [] }], response: { ...noContent, ...problemResponses(401) } }
  }, async (request, reply) => {
    await auth.logoutAll(bearer(request.headers.authorization))
    return reply.code(204).send(null)
  })
}
