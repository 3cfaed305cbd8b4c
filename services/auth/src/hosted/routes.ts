import { Type } from '@sinclair/typebox'
import type { FastifyRequest } from 'fastify'
import type { App } from '@app/kit/http'
import { clientIp, problemResponses, requireRecentAuth, StrictObject } from '@app/kit/http'
import type { SessionCaller } from '../reauth.ts'
import type { Handoff } from './handoff.ts'
import { HANDOFF_CODE_TTL_SECONDS } from './handoff.ts'

const tags = ['auth', 'hosted pages']

/** What the hosted pages offer: public, the same for everyone. */
export interface HostedConfig {
  redirectAllowlist: string[]
  passkeys: boolean
  magicLinks: boolean
  magicLinkSignup: boolean
  sms: boolean
  oidcProviders: Array<{ id: string, name: string }>
}

const HostedConfigSchema = Type.Object({
  redirectAllowlist: Type.Array(Type.String(), { description: 'AUTH_REDIRECT_ALLOWLIST: a `redirectTo` on another origin must have one of these origins and its path at or below the entry\'s path; a path on the pages\' own origin is always allowed' }),
  passkeys: Type.Boolean({ description: 'signing in with a passkey works (AUTH_WEBAUTHN_ORIGINS, or any localhost page outside production)' }),
  magicLinks: Type.Boolean({ description: 'an email link can sign in (POST /api/v1/auth/magic-link)' }),
  magicLinkSignup: Type.Boolean({ description: 'a link to an address without an account creates one (AUTH_MAGIC_LINK_SIGNUP)' }),
  sms: Type.Boolean({ description: 'codes by SMS can be sent (SMS_ENABLED): phone sign-up, phone login, SMS two-step login' }),
  oidcProviders: Type.Array(Type.Object({ id: Type.String(), name: Type.String({ description: 'the name to show on the button' }) }), { description: 'identity providers to sign in with: GET /api/v1/auth/oidc/{id}/start' })
})

export interface HostedRouteOptions {
  config: HostedConfig
  /** `REAUTH_MAX_AGE_SECONDS`: a handoff starts a new session (inheriting the caller's `auth_time`), so it needs a proof of identity this recent. */
  reauthMaxAgeSeconds: number
  now: () => Date
  callerOf: (request: FastifyRequest) => Promise<SessionCaller>
}

export function hostedRoutes (app: App, handoff: Handoff, options: HostedRouteOptions): void {
  app.get('/api/v1/auth/hosted-config', {
    schema: {
      tags,
      summary: 'What the hosted sign-in pages offer',
      description: 'The return addresses allowed for `redirectTo` and the sign-in methods that are on, so a page can refuse a return address before the sign-in and show only the buttons that work. Public; it names no account.',
      response: { 200: HostedConfigSchema }
    }
  }, async (_request, reply) => {
    reply.header('cache-control', 'public, max-age=60')
    return options.config
  })

  app.post('/api/v1/auth/handoff', {
    schema: {
      tags,
      summary: 'Hand my sign-in to an app on another origin',
      description: 'For the hosted pages after a sign-in whose `redirectTo` is on another origin: answers `location`, the `redirectTo` ' +
        `with a one-time \`code\` (${HANDOFF_CODE_TTL_SECONDS} s, single use, stored hashed) that the app exchanges at POST /api/v1/auth/handoff/exchange ` +
        'for a session of its own; no token travels in a URL. `redirectTo` must be in AUTH_REDIRECT_ALLOWLIST (400 `validation_failed` naming it). ' +
        '`codeChallenge` (recommended; the hosted login passes on its `?codeChallenge=`): base64url of the SHA-256 of a random verifier only the app knows (S256, as PKCE); ' +
        'the exchange then needs that `codeVerifier`, so a code seen on its way (history, logs, a Referer) is useless to anyone else. ' +
        'Needs a recent proof of identity (`403 reauth_required`: sign in again or POST /api/v1/auth/reauthenticate) and a session that has not ended (401). ' +
        'The app\'s session inherits this session\'s `auth_time` and ends no later than it, so a stolen access token can mint no session more recently proven or longer lived than its own, ' +
        'and none at all once its session has ended. A user with the admin role: 403 `handoff_admin_refused` unless AUTH_HANDOFF_ALLOW_ADMIN is on.',
      security: [{ bearer: [] }],
      body: StrictObject({
        redirectTo: Type.String({ minLength: 1, maxLength: 2048, description: 'the app\'s return address, e.g. https://app.example.com/callback?state=…' }),
        codeChallenge: Type.Optional(Type.String({ pattern: '^[A-Za-z0-9_-]{43}$', description: 'S256: base64url (no padding) of the SHA-256 of the app\'s `codeVerifier`; binds the code to the app that holds the verifier' }))
      }),
      response: { 201: Type.Object({ location: Type.String({ description: 'where to send the browser' }), expiresIn: Type.Integer({ description: 'seconds the code works' }) }), ...problemResponses(400, 401, 403) }
    }
  }, async (request, reply) => {
    const asserted = requireRecentAuth(request, options.reauthMaxAgeSeconds, options.now())
    const caller = await options.callerOf(request)
    reply.header('cache-control', 'no-store')
    const issued = await handoff.issue({ ...caller, roles: asserted.roles, authTime: asserted.authTime ?? 0 }, request.body.redirectTo, request.body.codeChallenge)
    return reply.code(201).send(issued)
  })

  app.post('/api/v1/auth/handoff/exchange', {
    schema: {
      tags,
      summary: 'Trade the one-time code of a hosted sign-in for a token pair',
      description: 'The app at `redirectTo` sends the `code` it was given (once, within a minute) and gets the token pair of a new session of the user ' +
        '(`auth.login_succeeded` with method `handoff`). The session carries the `auth_time` of the hosted page\'s sign-in (a change that needs a recent proof may ask for one at once) ' +
        'and ends no later than that sign-in\'s session. The code is spent by the first try, whatever its outcome. ' +
        '400 `handoff_code_invalid`: unknown, expired or spent; the hosted page\'s session has ended since (logout, password change, …); ' +
        'or a `codeVerifier` that is missing or does not hash to the `codeChallenge` the code was issued with (or given for a code issued without one). ' +
        'A disabled account: 403 `account_disabled`; an administrator without AUTH_HANDOFF_ALLOW_ADMIN: 403 `handoff_admin_refused`. ' +
        'The user service unavailable: 503 `unavailable` (the code is spent: send the person to the hosted login again, where they are still signed in).',
      body: StrictObject({
        code: Type.String({ minLength: 1, maxLength: 128 }),
        codeVerifier: Type.Optional(Type.String({ pattern: '^[A-Za-z0-9._~-]{43,128}$', description: 'the verifier whose S256 `codeChallenge` the code was issued with (RFC 7636: 43 to 128 characters)' }))
      }),
      response: { 200: Type.Ref('TokenPair'), ...problemResponses(400, 401, 403, 503) }
    }
  }, async (request, reply) => {
    reply.header('cache-control', 'no-store')
    const userAgent = request.headers['user-agent']
    return handoff.exchange(request.body.code, request.body.codeVerifier, { ip: clientIp(request), userAgent: typeof userAgent === 'string' ? userAgent : undefined }, request.id)
  })
}
