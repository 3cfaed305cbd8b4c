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
  /** `REAUTH_MAX_AGE_SECONDS`: a handoff starts a new session, so it needs a proof of identity this recent. */
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
        'A new session needs a recent proof of identity (`403 reauth_required`: sign in again or POST /api/v1/auth/reauthenticate), so a stolen access token cannot mint a long-lived session.',
      security: [{ bearer: [] }],
      body: StrictObject({ redirectTo: Type.String({ minLength: 1, maxLength: 2048, description: 'the app\'s return address, e.g. https://app.example.com/callback?state=…' }) }),
      response: { 201: Type.Object({ location: Type.String({ description: 'where to send the browser' }), expiresIn: Type.Integer({ description: 'seconds the code works' }) }), ...problemResponses(400, 401, 403) }
    }
  }, async (request, reply) => {
    requireRecentAuth(request, options.reauthMaxAgeSeconds, options.now())
    const caller = await options.callerOf(request)
    reply.header('cache-control', 'no-store')
    return reply.code(201).send(await handoff.issue(caller, request.body.redirectTo))
  })

  app.post('/api/v1/auth/handoff/exchange', {
    schema: {
      tags,
      summary: 'Trade the one-time code of a hosted sign-in for a token pair',
      description: 'The app at `redirectTo` sends the `code` it was given (once, within a minute) and gets the token pair of a new session of the user ' +
        '(`auth.login_succeeded` with method `handoff`). Unknown, expired or spent: 400 `handoff_code_invalid`. A disabled account: 403 `account_disabled`.',
      body: StrictObject({ code: Type.String({ minLength: 1, maxLength: 128 }) }),
      response: { 200: Type.Ref('TokenPair'), ...problemResponses(400, 403) }
    }
  }, async (request, reply) => {
    reply.header('cache-control', 'no-store')
    const userAgent = request.headers['user-agent']
    return handoff.exchange(request.body.code, { ip: clientIp(request), userAgent: typeof userAgent === 'string' ? userAgent : undefined }, request.id)
  })
}
