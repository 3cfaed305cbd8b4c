import { Type } from '@sinclair/typebox'
import type { FastifyRequest } from 'fastify'
import type { AuthenticationResponseJSON, RegistrationResponseJSON } from '@simplewebauthn/server'
import type { App } from '@app/kit/http'
import { clientIp, problemResponses, requireCaller, requireRecentAuth } from '@app/kit/http'
import type { Passkeys } from './passkeys.ts'
import {
  AssertionSchema, CreationOptionsSchema, PasskeyParamsSchema, PasskeySchema, RegistrationBodySchema, RenameBodySchema,
  RequestOptionsSchema, SecondStepBodySchema, SecondStepOptionsBodySchema
} from './schemas.ts'

const tags = ['auth', 'passkeys']
const security = [{ bearer: [] }]

export interface PasskeyRouteOptions {
  /** `REAUTH_MAX_AGE_SECONDS`: adding or removing a passkey needs a proof of identity this recent. */
  reauthMaxAgeSeconds: number
  now: () => Date
}

const sessionContext = (request: FastifyRequest) => {
  const userAgent = request.headers['user-agent']
  return { requestId: request.id, ip: clientIp(request), userAgent: typeof userAgent === 'string' ? userAgent : undefined }
}

const REJECTED = 'A refused response answers 400 `passkey_rejected` whose `reason` names the failed check: `challenge_invalid` (unknown, expired or already used: a replay), `origin_mismatch`, `rp_id_mismatch`, `signature_invalid`, `counter_regressed`, `user_verification_missing`, `unknown_passkey` or `invalid_response`.'

export function passkeyRoutes (app: App, passkeys: Passkeys, options: PasskeyRouteOptions): void {
  app.post('/api/v1/auth/passkeys/register/options', {
    schema: {
      tags,
      security,
      summary: 'Start adding a passkey',
      description: 'WebAuthn creation options for the bearer (a discoverable credential; the challenge works once, for 5 minutes). Needs a recent proof of identity (`403 reauth_required`), so a stolen access token cannot add its own passkey.',
      response: { 200: CreationOptionsSchema, ...problemResponses(401, 403, 503) }
    }
  }, async (request) => {
    const caller = requireRecentAuth(request, options.reauthMaxAgeSeconds, options.now())
    return passkeys.registrationOptions(caller.userId, request.id)
  })

  app.post('/api/v1/auth/passkeys/register', {
    schema: {
      tags,
      security,
      summary: 'Add a passkey',
      description: `The credential navigator.credentials.create made with the options of \`register/options\` (same user). Emits \`auth.passkey_added\`; the user gets a security message. ${REJECTED} 409 \`conflict\` when it is already registered.`,
      body: RegistrationBodySchema,
      response: { 201: PasskeySchema, ...problemResponses(400, 401, 409, 503) }
    }
  }, async (request, reply) => {
    const caller = requireCaller(request)
    const { name, ...credential } = request.body
    const added = await passkeys.register(caller.userId, credential as RegistrationResponseJSON, name)
    return reply.code(201).send(added)
  })

  app.post('/api/v1/auth/passkeys/login/options', {
    schema: {
      tags,
      summary: 'Start signing in with a passkey',
      description: 'WebAuthn request options without a user: the authenticator offers the passkeys it holds for this site. The challenge works once, for 5 minutes.',
      response: { 200: RequestOptionsSchema, ...problemResponses(503) }
    }
  }, async () => passkeys.loginOptions())

  app.post('/api/v1/auth/passkeys/login', {
    schema: {
      tags,
      summary: 'Sign in with a passkey',
      description: `The assertion navigator.credentials.get made with the options of \`login/options\`. A passkey that verified the user (PIN, biometrics) counts as both factors; without user verification an account with two-step login on gets \`{ mfaRequired, challengeId, channel }\`. Emits \`auth.login_succeeded\` (method \`passkey\`), or \`auth.login_failed\` with the reason. ${REJECTED} A disabled account gets 403 \`account_disabled\`.`,
      body: AssertionSchema,
      response: { 200: Type.Union([Type.Ref('TokenPair'), Type.Ref('MfaChallenge')]), ...problemResponses(400, 401, 403, 503) }
    }
  }, async (request, reply) => {
    reply.header('cache-control', 'no-store')
    return passkeys.login(request.body as AuthenticationResponseJSON, sessionContext(request))
  })

  app.post('/api/v1/auth/mfa/passkey/options', {
    schema: {
      tags: ['auth', 'mfa', 'passkeys'],
      summary: 'Second step of a login with a passkey: the options',
      description: 'For a login that answered `mfaRequired` (with `passkey: true`): WebAuthn request options limited to the account\'s passkeys. 400 `mfa_unavailable` when the account has none, or when a passkey started this login (it is answered with a code).',
      body: SecondStepOptionsBodySchema,
      response: { 200: RequestOptionsSchema, ...problemResponses(400, 401, 503) }
    }
  }, async (request) => passkeys.secondStepOptions(request.body.challengeId))

  app.post('/api/v1/auth/mfa/passkey', {
    schema: {
      tags: ['auth', 'mfa', 'passkeys'],
      summary: 'Second step of a login with a passkey',
      description: `Answers the login challenge with an assertion of one of the account's passkeys instead of a code; each try counts against the challenge's 5. 400 \`mfa_unavailable\` for a login a passkey started. ${REJECTED}`,
      body: SecondStepBodySchema,
      response: { 200: Type.Ref('TokenPair'), ...problemResponses(400, 401, 403, 503) }
    }
  }, async (request, reply) => {
    reply.header('cache-control', 'no-store')
    return passkeys.secondStep(request.body.challengeId, request.body.credential as AuthenticationResponseJSON, sessionContext(request))
  })

  app.get('/api/v1/auth/passkeys', {
    schema: { tags, security, summary: 'List my passkeys', response: { 200: Type.Object({ items: Type.Array(PasskeySchema) }), ...problemResponses(401) } }
  }, async (request) => ({ items: await passkeys.list(requireCaller(request).userId) }))

  app.patch('/api/v1/auth/passkeys/:id', {
    schema: {
      tags,
      security,
      summary: 'Rename one of my passkeys',
      params: PasskeyParamsSchema,
      body: RenameBodySchema,
      response: { 200: PasskeySchema, ...problemResponses(400, 401, 404) }
    }
  }, async (request) => passkeys.rename(requireCaller(request).userId, request.params.id, request.body.name))

  app.delete('/api/v1/auth/passkeys/:id', {
    schema: {
      tags,
      security,
      summary: 'Remove one of my passkeys',
      description: 'It can no longer sign in. Emits `auth.passkey_removed`; the user gets a security message. Needs a recent proof of identity (`403 reauth_required`). 404 for a passkey that is not the caller\'s.',
      params: PasskeyParamsSchema,
      response: { 204: Type.Null(), ...problemResponses(400, 401, 403, 404) }
    }
  }, async (request, reply) => {
    const caller = requireRecentAuth(request, options.reauthMaxAgeSeconds, options.now())
    await passkeys.remove(caller.userId, request.params.id)
    return reply.code(204).send(null)
  })
}
