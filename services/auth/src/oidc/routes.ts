import { Type } from '@sinclair/typebox'
import type { App } from '@app/kit/http'
import { clientIp, problemResponses, StrictObject } from '@app/kit/http'
import { BINDING_COOKIE, bindingCookie, bindingFor, presentedBinding } from './binding-cookie.ts'
import type { OidcSignIn } from './oidc-sign-in.ts'
import { EXCHANGE_CODE_TTL_SECONDS } from './oidc-sign-in.ts'
import type { OidcProvider } from './providers-config.ts'

const tags = ['auth', 'oidc']
const ProviderParams = StrictObject({ provider: Type.String({ pattern: '^[a-z0-9][a-z0-9_-]{0,39}$', description: 'the provider id of AUTH_OIDC_PROVIDERS' }) })
const Redirect = (description: string) => Type.Null({ description: `${description} (\`Location\` header)` })

// Whatever the provider adds (iss, session_state, scope ...) is accepted; openid-client checks what matters.
const CallbackQuery = Type.Object({
  state: Type.Optional(Type.String({ maxLength: 512 })),
  code: Type.Optional(Type.String({ maxLength: 4096 })),
  error: Type.Optional(Type.String({ maxLength: 256 })),
  error_description: Type.Optional(Type.String({ maxLength: 2048 }))
}, { additionalProperties: Type.String({ maxLength: 4096 }) })

export interface OidcRouteOptions {
  providers: OidcProvider[]
  flowTtlSeconds: number
  production: boolean
}

export function oidcRoutes (app: App, signIn: OidcSignIn, options: OidcRouteOptions): void {
  app.get('/api/v1/auth/oidc/providers', {
    schema: {
      tags,
      summary: 'The identity providers one can sign in with',
      response: { 200: Type.Object({ items: Type.Array(Type.Object({ id: Type.String(), name: Type.String() })) }) }
    }
  }, async () => ({ items: options.providers.map(p => ({ id: p.id, name: p.name })) }))

  app.get('/api/v1/auth/oidc/:provider/start', {
    schema: {
      tags,
      summary: 'Start signing in with an identity provider',
      description: 'Redirects the browser to the provider (authorization code flow with PKCE S256, `state` and `nonce`). ' +
        `\`redirectTo\` must be in AUTH_REDIRECT_ALLOWLIST; the sign-in ends there. Sets the \`${BINDING_COOKIE}\` cookie ` +
        '(HttpOnly, SameSite=Lax, Path=/api/v1/auth/oidc): the callback must come back to the same browser. ' +
        '503 `oidc_provider_unavailable` when the provider cannot be reached.',
      params: ProviderParams,
      querystring: StrictObject({ redirectTo: Type.String({ minLength: 1, maxLength: 2048, description: 'where the sign-in returns, with `code` or `error`' }) }),
      response: { 302: Redirect('to the provider\'s authorization endpoint'), ...problemResponses(400, 404, 503) }
    }
  }, async (request, reply) => {
    const binding = bindingFor(request)
    const location = await signIn.start(request.params.provider, request.query.redirectTo, binding)
    reply.header('set-cookie', bindingCookie(binding, request, { maxAgeSeconds: options.flowTtlSeconds, production: options.production }))
    reply.header('cache-control', 'no-store')
    return reply.redirect(location, 302)
  })

  app.get('/api/v1/auth/oidc/:provider/callback', {
    schema: {
      tags,
      summary: 'Where the identity provider sends the browser back',
      description: 'Checks `state` (single use, from this browser), then the provider\'s tokens (signature, issuer, audience, expiry, `nonce`, PKCE). ' +
        'A provider account already linked signs in as its user; otherwise a verified email (`email_verified` true) links it to the account with that email, ' +
        'or creates one when the provider has `allowSignup`. Ends with 302 to `redirectTo` with a one-time `code` ' +
        `(valid ${EXCHANGE_CODE_TTL_SECONDS} s; exchange it at POST /api/v1/auth/oidc/exchange), or with \`error\` (an error code of docs/errors.md) and \`error_description\`. ` +
        'A state that is unknown, spent, expired or from another browser: 400 `oidc_state_invalid` (no trusted place to return to).',
      params: ProviderParams,
      querystring: CallbackQuery,
      response: { 302: Redirect('to `redirectTo` with `code`, or `error` and `error_description`'), ...problemResponses(400, 404) }
    }
  }, async (request, reply) => {
    const query = new URLSearchParams(request.query as Record<string, string>)
    const location = await signIn.callback(request.params.provider, query, presentedBinding(request), request.id)
    reply.header('cache-control', 'no-store')
    // This URL holds the provider's code and state: the app it redirects to gets no Referer of it.
    reply.header('referrer-policy', 'no-referrer')
    return reply.redirect(location, 302)
  })

  app.post('/api/v1/auth/oidc/exchange', {
    schema: {
      tags,
      summary: 'Trade the one-time code of an identity-provider sign-in for the token pair',
      description: 'Single use. With two-step login on: `{ mfaRequired: true, challengeId, channel }` instead; answer it at `POST /api/v1/auth/mfa/verify`. ' +
        'Emits `auth.login_succeeded` with method `oidc`. A disabled account gets 403 `account_disabled`.',
      body: StrictObject({ code: Type.String({ minLength: 1, maxLength: 128 }) }),
      response: { 200: Type.Union([Type.Ref('TokenPair'), Type.Ref('MfaChallenge')]), ...problemResponses(400, 401, 403, 503) }
    }
  }, async (request, reply) => {
    reply.header('cache-control', 'no-store')
    return signIn.exchange(request.body.code, { ip: clientIp(request), userAgent: request.headers['user-agent'] }, request.id)
  })
}
