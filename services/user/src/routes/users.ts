import { Type } from '@sinclair/typebox'
import type { App } from '@app/kit/http'
import { isAdmin, problemResponses, requireCaller } from '@app/kit/http'
import type { AccountService } from '../account-service.ts'
import type { AdminService } from '../admin-service.ts'
import { publicUser } from '../domain/user.ts'
import type { ProfileService } from '../profile-service.ts'
import { RolesBodySchema, UserIdParamsSchema, UserListQuerySchema, UserPageSchema } from '../schemas.ts'
import { adminOnly, authenticated, bearer } from './guards.ts'

/** Users by id, and what administrators do with them. */
export function userRoutes (app: App, profiles: ProfileService, admin: AdminService, accounts: AccountService): void {
  app.get('/api/v1/users', {
    onRequest: adminOnly,
    schema: {
      ...bearer,
      summary: 'List and search users (admin)',
      description: 'Newest first. Pass `nextCursor` back as `cursor` for the next page.',
      querystring: UserListQuerySchema,
      response: { 200: UserPageSchema, ...problemResponses(400, 401, 403) }
    }
  }, async (request) => {
    const page = await admin.listUsers(request.query)
    return { items: page.items.map(publicUser), nextCursor: page.nextCursor }
  })

  app.get('/api/v1/users/:id', {
    onRequest: authenticated,
    schema: {
      ...bearer,
      summary: 'A user (self, or any user for an admin)',
      params: UserIdParamsSchema,
      response: { 200: Type.Ref('User'), ...problemResponses(400, 401, 403, 404) }
    }
  }, async (request) => {
    const caller = requireCaller(request)
    return publicUser(await profiles.getUserAs({ userId: caller.userId, admin: isAdmin(caller) }, request.params.id))
  })

  app.put('/api/v1/users/:id/roles', {
    onRequest: adminOnly,
    schema: {
      ...bearer,
      summary: 'Replace a user\'s roles (admin)',
      description: 'Roles must include "user"; an admin cannot remove their own admin role (409 `admin_self_demotion`). ' +
        'Access tokens already issued keep their roles until the next refresh (within 15 minutes). Emits `user.updated` with `changes: ["roles"]`.',
      params: UserIdParamsSchema,
      body: RolesBodySchema,
      response: { 200: Type.Ref('User'), ...problemResponses(400, 401, 403, 404, 409) }
    }
  }, async (request) => publicUser(await admin.setRoles(requireCaller(request).userId, request.params.id, request.body.roles)))

  app.post('/api/v1/users/:id/disable', {
    onRequest: adminOnly,
    schema: {
      ...bearer,
      summary: 'Disable a user (admin)',
      description: 'Every session of the user ends before the answer; login, refresh and phone login then answer 403 `account_disabled`. ' +
        'Idempotent. Emits `user.disabled` (`by`: the admin). An admin cannot disable themself (409 `admin_self_moderation`).',
      params: UserIdParamsSchema,
      response: { 204: Type.Null(), ...problemResponses(400, 401, 403, 404, 409, 503) }
    }
  }, async (request, reply) => {
    await accounts.disable(requireCaller(request).userId, request.params.id, request.id)
    return reply.code(204).send(null)
  })

  app.post('/api/v1/users/:id/enable', {
    onRequest: adminOnly,
    schema: {
      ...bearer,
      summary: 'Enable a disabled user (admin)',
      description: 'The user can log in again (sessions ended by the disable stay ended). Idempotent. Emits `user.enabled`.',
      params: UserIdParamsSchema,
      response: { 204: Type.Null(), ...problemResponses(400, 401, 403, 404) }
    }
  }, async (request, reply) => {
    await accounts.enable(requireCaller(request).userId, request.params.id)
    return reply.code(204).send(null)
  })

  app.delete('/api/v1/users/:id', {
    onRequest: adminOnly,
    schema: {
      ...bearer,
      summary: 'Delete a user (admin)',
      description: 'As DELETE /api/v1/users/me without the proof: the account is erased, its sessions end, and `user.deleted` (`deletedBy: "admin"`) ' +
        'has every other service erase what it holds. An admin deletes their own account with DELETE /api/v1/users/me (409 `admin_self_moderation` here).',
      params: UserIdParamsSchema,
      response: { 204: Type.Null(), ...problemResponses(400, 401, 403, 404, 409) }
    }
  }, async (request, reply) => {
    await accounts.deleteByAdmin(requireCaller(request).userId, request.params.id, request.id)
    return reply.code(204).send(null)
  })
}
