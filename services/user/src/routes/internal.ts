import { Type } from '@sinclair/typebox'
import type { App } from '@app/kit/http'
import { problemResponses } from '@app/kit/http'
import { publicUser } from '../domain/user.ts'
import type { PreferencesService } from '../preferences-service.ts'
import {
  ContactPreferencesSchema, CredentialsBodySchema, InternalUserSchema, LookupQuerySchema, SetPasswordBodySchema, UserIdParamsSchema,
  VerifiedEmailBodySchema, VerifiedPhoneBodySchema
} from '../schemas.ts'
import type { EmailChangeService } from '../email-change-service.ts'
import { normalizeContact } from '../input.ts'
import type { UserService } from '../user-service.ts'

const internal = { tags: ['internal'], security: [{ serviceToken: [] }] }
const user = { 200: Type.Ref('User'), ...problemResponses(400, 401, 404) }

/** Service-to-service routes; the kit refuses them without the service credential. */
export function internalRoutes (app: App, users: UserService, preferences: PreferencesService, emailChange: EmailChangeService): void {
  app.post('/internal/users/verify-credentials', {
    schema: { ...internal, summary: 'Check an email or phone and password', body: CredentialsBodySchema, response: user }
  }, async (request) => publicUser(await users.verifyCredentials(request.body)))

  app.get('/internal/users/lookup', {
    schema: { ...internal, summary: 'Find a user by email or phone', querystring: LookupQuerySchema, response: user }
  }, async (request) => publicUser(await users.findUser(request.query)))

  app.get('/internal/users/:id', {
    schema: {
      ...internal,
      summary: 'Get a user, with the number of orders they placed',
      params: UserIdParamsSchema,
      response: { 200: InternalUserSchema, ...problemResponses(400, 401, 404) }
    }
  }, async (request) => {
    const { user, ordersCount } = await users.getUserWithOrderCount(request.params.id)
    return { ...publicUser(user), ordersCount }
  })

  app.put('/internal/users/:id/password', {
    schema: {
      ...internal,
      summary: 'Store a new password',
      description: 'The password policy applies; the current password is refused with 400 `password_unchanged`.',
      params: UserIdParamsSchema,
      body: SetPasswordBodySchema,
      response: { 204: Type.Null(), ...problemResponses(400, 401, 404) }
    }
  }, async (request, reply) => {
    await users.setPassword(request.params.id, request.body.password)
    return reply.code(204).send(null)
  })

  app.post('/internal/users/:id/email-verified', {
    schema: {
      ...internal,
      summary: 'A verification link was used: mark the email verified, or make the pending email the email',
      description: 'The user\'s current email becomes verified; a pending email (from PATCH /api/v1/users/me) becomes the email, verified, ' +
        'and `user.updated` (`changes: ["email"]`, `emailChanged`, `previousEmail`) is emitted. 404 `user_not_found` when the address is neither; ' +
        '409 `conflict` when another account took the pending address meanwhile.',
      params: UserIdParamsSchema,
      body: VerifiedEmailBodySchema,
      response: { ...user, ...problemResponses(400, 401, 404, 409) }
    }
  }, async (request) => publicUser(await emailChange.markVerified(request.params.id, normalizeContact({ email: request.body.email }).email!)))

  app.post('/internal/users/phone-accounts', {
    schema: {
      ...internal,
      summary: 'The account of a number just proven with a code: found, or created verified',
      description: 'Phone sign-up. A new number gets a phone-only account, verified, and `user.registered` plus `user.phone_verified`; ' +
        'an existing account\'s phone is marked verified (`user.phone_verified` when it was not). Safe to repeat.',
      body: VerifiedPhoneBodySchema,
      response: user
    }
  }, async (request) => publicUser(await users.phoneAccount(request.body.phone)))

  app.post('/internal/users/:id/phone-verified', {
    schema: { ...internal, summary: 'Mark the phone verified; emits user.phone_verified', params: UserIdParamsSchema, body: VerifiedPhoneBodySchema, response: user }
  }, async (request) => publicUser(await users.markPhoneVerified(request.params.id, request.body.phone)))

  app.get('/internal/users/:id/preferences', {
    schema: {
      ...internal,
      summary: 'How to reach a user: addresses, their verification, and notification preferences',
      params: UserIdParamsSchema,
      response: { 200: ContactPreferencesSchema, ...problemResponses(400, 401, 404) }
    }
  }, async (request) => preferences.contactOf(request.params.id))
}
