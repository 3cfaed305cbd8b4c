import { Type } from '@sinclair/typebox'
import type { App } from '@app/kit/http'
import { problemResponses, requireCaller } from '@app/kit/http'
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

export function mfaRoutes (app: App, mfa: Mfa): void {
  app.get('/api/v1/auth/mfa', {
    schema: { tags, summary: 'Is two-step login on?', security: [{ bearer: [] }], response: { 200: Type.Object({ enabled: Type.Boolean(), channel: Type.Union([Channel, Type.Null()]) }), ...problemResponses(401) } }
  }, async (request) => mfa.status(requireCaller(request).userId))

  app.put('/api/v1/auth/mfa', {
    schema: {
      tags,
      summary: 'Turn two-step login on or off',
      description: 'On, first call `{ enabled: true, channel }`: sms and email send a code; totp returns the secret for the authenticator app. Then the same call with `otp` confirms and returns recovery codes once. Off: `{ enabled: false, otp }` with a code of the current factor or a recovery code (without `otp`, sms and email send one).',
      security: [{ bearer: [] }],
      body: MfaSettingBodySchema,
      response: { 200: SettingResult, ...problemResponses(400, 401, 410, 429) }
    }
  }, async (request) => mfa.configure(requireCaller(request).userId, request.body, request.id))

  app.post('/api/v1/auth/mfa/verify', {
    schema: {
      tags,
      summary: 'Second step of a login: the code for the challenge',
      description: 'Answers the `challengeId` of a login that returned `mfaRequired`. A recovery code works once in place of a code. 5 tries per challenge.',
      body: MfaVerifyBodySchema,
      response: { 200: Type.Ref('TokenPair'), ...problemResponses(400, 401, 410, 429) }
    }
  }, async (request) => mfa.verifyChallenge(request.body.challengeId, request.body.otp, request.id))
}
