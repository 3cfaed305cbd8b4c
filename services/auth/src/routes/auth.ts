import { Type } from '@sinclair/typebox'
import type { App } from '@app/kit/http'
import { problemResponses } from '@app/kit/http'
import type { AuthService } from '../auth-service.ts'
import { LoginBodySchema, RefreshBodySchema, ValidateBodySchema, ValidationSchema } from '../schemas.ts'

const tags = ['auth']
const pair = { 200: Type.Ref('TokenPair') }
const noContent = { 204: Type.Null() }

function bearer (header: string | undefined): string | undefined {
  const match = /^Bearer\s+(\S+)\s*$/i.exec(header ?? '')
  return match?.[1]
}

export function authRoutes (app: App, auth: AuthService): void {
  app.post('/api/v1/auth/login', {
    schema: {
      tags,
      summary: 'Log in with an email or phone and a password',
      description: 'Emits `auth.login_succeeded` or `auth.login_failed`. After too many failures for one identifier: 429 with `Retry-After`. With two-step login on: `{ mfaRequired: true, challengeId, channel }` instead of tokens; answer it at `POST /api/v1/auth/mfa/verify`.',
      body: LoginBodySchema,
      response: { 200: Type.Union([Type.Ref('TokenPair'), Type.Ref('MfaChallenge')]), ...problemResponses(400, 401, 429, 503) }
    }
  }, async (request) => auth.login(request.body, request.id))

  app.post('/api/v1/auth/refresh', {
    schema: {
      tags,
      summary: 'Trade a refresh token for a new pair',
      description: 'The token is spent; presenting a spent one ends its whole session (401 `token_reused`).',
      body: RefreshBodySchema,
      response: { ...pair, ...problemResponses(400, 401, 503) }
    }
  }, async (request) => auth.refresh(request.body.refreshToken, request.id))

  app.post('/api/v1/auth/validate', {
    schema: { tags, summary: 'Check an access token', body: ValidateBodySchema, response: { 200: ValidationSchema, ...problemResponses(400) } }
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
