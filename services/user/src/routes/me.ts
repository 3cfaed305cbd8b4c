import { Type } from '@sinclair/typebox'
import type { FastifyRequest } from 'fastify'
import type { App } from '@app/kit/http'
import { clientIp, problemResponses, requireCaller } from '@app/kit/http'
import type { AccountService } from '../account-service.ts'
import { publicUser } from '../domain/user.ts'
import type { PhoneChangeService } from '../phone-change-service.ts'
import type { PreferencesService } from '../preferences-service.ts'
import type { ProfileService } from '../profile-service.ts'
import { DeleteMeBodySchema, PhoneVerifyBodySchema, PreferencesBodySchema, PreferencesSchema, UpdateMeBodySchema } from '../schemas.ts'
import { authenticated, bearer } from './guards.ts'

export interface MeServices {
  profiles: ProfileService
  preferences: PreferencesService
  accounts: AccountService
  phoneChange: PhoneChangeService
  /** Whether the caller's session proved itself recently enough for a sensitive change (`requireRecentAuth`). */
  isRecent: (request: FastifyRequest) => boolean
}

/** The caller's own account. */
export function meRoutes (app: App, { profiles, preferences, accounts, phoneChange, isRecent }: MeServices): void {
  app.get('/api/v1/users/me', {
    onRequest: authenticated,
    schema: { ...bearer, summary: 'The caller\'s account', response: { 200: Type.Ref('User'), ...problemResponses(401, 403) } }
  }, async (request) => publicUser(await profiles.getMe(requireCaller(request).userId)))

  app.patch('/api/v1/users/me', {
    onRequest: authenticated,
    schema: {
      ...bearer,
      summary: 'Change the caller\'s name, locale, email or phone',
      description: 'Name and locale change at once. A new email or phone needs a password or code check from the last `REAUTH_MAX_AGE_SECONDS` ' +
        '(POST /api/v1/auth/reauthenticate), or `currentPassword` in the body; otherwise 403 `reauth_required` (400 `password_incorrect` for a wrong `currentPassword`). ' +
        'It is stored as `pendingEmail` / `pendingPhone` and the current one stays in use until the new one is verified: a new email gets a verification link ' +
        '(the previous address is told, with a link to undo the change: `user.email_change_requested`), a new phone gets a code to send to ' +
        'POST /api/v1/users/me/phone/verify. Sending the current value again withdraws a pending change. Removing the phone (null) takes effect at once. ' +
        'Emits `user.updated` (`changes` may hold `pending_email` / `pending_phone`).',
      body: UpdateMeBodySchema,
      response: { 200: Type.Ref('User'), ...problemResponses(400, 401, 403, 409, 429) }
    }
  }, async (request) => {
    const { userId } = requireCaller(request)
    return publicUser(await profiles.updateMe(userId, request.body, { recent: isRecent(request), requestId: request.id, clientIp: clientIp(request) }))
  })

  app.delete('/api/v1/users/me', {
    onRequest: authenticated,
    schema: {
      ...bearer,
      summary: 'Delete the caller\'s account',
      description: 'Needs fresh proof in the body: the `password`, or an `otp` sent by POST /api/v1/auth/reauthenticate/start (checked against the verified phone, ' +
        'else the verified email, or the `channel` named). The account and its preferences are erased, every session ends, and `user.deleted` has every ' +
        'other service erase what it holds (the audit trail keeps a tombstone). 400 `password_incorrect` (429 `rate_limited` after 5 wrong passwords in 15 minutes), ' +
        'or the otp service\'s `otp_invalid` / `otp_expired`.',
      body: DeleteMeBodySchema,
      response: { 204: Type.Null(), ...problemResponses(400, 401, 403, 410, 429) }
    }
  }, async (request, reply) => {
    await accounts.deleteSelf(requireCaller(request).userId, request.body, request.id)
    return reply.code(204).send(null)
  })

  app.post('/api/v1/users/me/phone/verify', {
    onRequest: authenticated,
    schema: {
      ...bearer,
      summary: 'Confirm a new phone with the code sent to it',
      description: 'The pending phone becomes the phone, verified; emits `user.updated` (`changes: ["phone"]`, with `previousPhone` when the previous one was verified: ' +
        'it is told) and `user.phone_verified`. 409 `phone_change_not_pending` when no new phone waits; the otp service\'s `otp_invalid` / `otp_expired` for a wrong code.',
      body: PhoneVerifyBodySchema,
      response: { 200: Type.Ref('User'), ...problemResponses(400, 401, 403, 409, 410, 429) }
    }
  }, async (request) => publicUser(await phoneChange.verify(requireCaller(request).userId, request.body.otp, request.id)))

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
