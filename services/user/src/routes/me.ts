import { Type } from '@sinclair/typebox'
import type { App } from '@app/kit/http'
import { problemResponses, requireCaller } from '@app/kit/http'
import { publicUser } from '../domain/user.ts'
import type { PreferencesService } from '../preferences-service.ts'
import type { ProfileService } from '../profile-service.ts'
import { PreferencesBodySchema, PreferencesSchema, UpdateMeBodySchema } from '../schemas.ts'
import { authenticated, bearer } from './guards.ts'

/** The caller's own account. */
export function meRoutes (app: App, profiles: ProfileService, preferences: PreferencesService): void {
  app.get('/api/v1/users/me', {
    onRequest: authenticated,
    schema: { ...bearer, summary: 'The caller\'s account', response: { 200: Type.Ref('User'), ...problemResponses(401) } }
  }, async (request) => publicUser(await profiles.getMe(requireCaller(request).userId)))

  app.patch('/api/v1/users/me', {
    onRequest: authenticated,
    schema: {
      ...bearer,
      summary: 'Change the caller\'s name, email or phone',
      description: 'A new email or phone is unverified until verified again. Emits `user.updated` (with `emailChanged` and `previousEmail`), ' +
        'which sends a verification mail for a new email and a "profile updated" notification.',
      body: UpdateMeBodySchema,
      response: { 200: Type.Ref('User'), ...problemResponses(400, 401, 409) }
    }
  }, async (request) => publicUser(await profiles.updateMe(requireCaller(request).userId, request.body)))

  app.get('/api/v1/users/me/preferences', {
    onRequest: authenticated,
    schema: {
      ...bearer,
      summary: 'The caller\'s notification preferences',
      description: 'Until saved: email on, sms on when the account has a phone. A channel the account has no address for reads as off.',
      response: { 200: PreferencesSchema, ...problemResponses(401) }
    }
  }, async (request) => preferences.getMine(requireCaller(request).userId))

  app.put('/api/v1/users/me/preferences', {
    onRequest: authenticated,
    schema: {
      ...bearer,
      summary: 'Replace the caller\'s notification preferences',
      description: 'A channel can be enabled only when the account has an address for it. Emits `user.updated` with `changes: ["preferences"]`.',
      body: PreferencesBodySchema,
      response: { 200: PreferencesSchema, ...problemResponses(400, 401) }
    }
  }, async (request) => preferences.saveMine(requireCaller(request).userId, request.body))
}
