import { Type } from '@sinclair/typebox'
import type { App } from '@app/kit/http'
import { clientIp, problemResponses, requireCaller, requireRecentAuth } from '@app/kit/http'
import type { Mfa } from '../mfa.ts'
import { MfaSettingBodySchema, MfaVerifyBodySchema } from '../schemas.ts'

const tags = ['auth', 'mfa']
const Channel = Type.Union([Type.Literal('sms'), Type.Literal('email'), Type.Literal('totp')])

const SettingResult = Type.Object({
  enabled: Type.Boolean(),
  channel: Type.Optional(Channel),
  message: Type.Optional(Type.String()),
  secret: Type.Optional(Type.String({ description: 'totp: the base32 secret to enter in an authenticator app' })),
  otpauthUrl: Type.Optional(Type.String({ description: 'totp: the same as an otpauth:// URI, for a QR code' })),
  recoveryCodes: Type.Optional(Type.Array(Type.String(), { description: 'shown once, when two-step login is turned on: each works once instead of a code' }))
})

export interface MfaRouteOptions {
  /** `REAUTH_MAX_AGE_SECONDS`: turning two-step login on or off needs a proof of identity this recent. */
  reauthMaxAgeSeconds: number
  now: () => Date
}

export function mfaRoutes (app: App, mfa: Mfa, options: MfaRouteOptions): void {
  app.get('/api/v1/auth/mfa', {
    schema: { tags, summary: 'Is two-step login on?', security: [{ bearer: [] }], response: { 200: Type.Object({ enabled: Type.Boolean(), channel: Type.Union([Channel, Type.Null()]) }), ...problemResponses(401) } }
  }, async (request) => mfa.status(requireCaller(request).userId))

  app.put('/api/v1/auth/mfa', {
    schema: {
      tags,
      summary: 'Turn two-step login on or off',
      description: 'On, first call `{ enabled: true, channel }`: sms and email send a code; totp returns the secret for the authenticator app. Then the same call with `otp` confirms and returns recovery codes once. Off: `{ enabled: false, otp }` with a code of the current factor or a recovery code (without `otp`, sms and email send one); every call, on or off, also needs a recent proof of identity (`403 reauth_required`: `POST /api/v1/auth/reauthenticate` first), so a stolen access token can neither turn it off nor enrol its own authenticator or contact.',
      security: [{ bearer: [] }],
      body: MfaSettingBodySchema,
      response: { 200: SettingResult, ...problemResponses(400, 401, 403, 410, 429) }
    }
  }, async (request) => {
    // On as well as off: a stolen token must not enrol the thief's authenticator (or phone, or email).
    const caller = requireRecentAuth(request, options.reauthMaxAgeSeconds, options.now())
    return mfa.configure(caller.userId, request.body, request.id)
  })

  app.post('/api/v1/auth/mfa/recovery-codes', {
    schema: {
      tags,
      summary: 'Replace my recovery codes',
      description: 'New one-time recovery codes, shown once; the old ones stop working. Needs two-step login on (400 `mfa_unavailable`) and a recent proof of identity (`403 reauth_required`).',
      security: [{ bearer: [] }],
      response: { 200: Type.Object({ recoveryCodes: Type.Array(Type.String()) }), ...problemResponses(400, 401, 403) }
    }
  }, async (request) => mfa.regenerateRecoveryCodes(requireRecentAuth(request, options.reauthMaxAgeSeconds, options.now()).userId))

  app.post('/api/v1/auth/mfa/verify', {
    schema: {
      tags,
      summary: 'Second step of a login: the code for the challenge',
      description: 'Answers the `challengeId` of a login that returned `mfaRequired`. A recovery code works once in place of a code. 5 tries per challenge.',
      body: MfaVerifyBodySchema,
      response: { 200: Type.Ref('TokenPair'), ...problemResponses(400, 401, 410, 429) }
    }
  }, async (request) => mfa.verifyChallenge(request.body.challengeId, request.body.otp, request.id, {
    ip: clientIp(request),
    userAgent: request.headers['user-agent']
  }))
}
