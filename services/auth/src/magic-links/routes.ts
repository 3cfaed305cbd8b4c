import { Type } from '@sinclair/typebox'
import type { FastifyRequest } from 'fastify'
import type { App } from '@app/kit/http'
import { problemResponses, StrictObject } from '@app/kit/http'
import { KitErrors } from '@app/kit/errors'
import { normalizeEmail } from '@app/kit/identifiers'
import type { RedirectAllowlist } from '../redirect-allowlist.ts'
import { MAGIC_LINK_COOKIE, nonceCookie, presentedNonce } from './browser-cookie.ts'
import type { MagicLinks, Requester } from './magic-links.ts'
import type { createRequestLimit } from './request-limit.ts'
import { newSecret } from './secrets.ts'

const tags = ['auth', 'magic link']
const ACCEPTED = { message: 'If the address can sign in, a link is on its way.' }

const RequestBody = StrictObject({
  email: Type.String({ minLength: 3, maxLength: 320, description: 'the address to mail the link to; trimmed, domain lower-cased', examples: ['ada@example.com'] }),
  redirectTo: Type.Optional(Type.String({ minLength: 1, maxLength: 2048, description: 'where the hosted page sends the browser back to with a one-time `code`; must be in AUTH_REDIRECT_ALLOWLIST' }))
})

const Secret = Type.String({ pattern: '^[A-Za-z0-9_-]{43}$' })
const VerifyBody = StrictObject({
  token: Type.Optional({ ...Secret, description: 'the `token` of the mailed link' }),
  code: Type.Optional({ ...Secret, description: 'the one-time `code` the hosted page returned to `redirectTo` with' }),
  confirmDevice: Type.Optional(Type.Boolean({ description: 'with `token`: sign in although this browser is not the one that asked for the link (after showing the person `requestedFrom` of the 409 answer)' }))
}, { description: 'exactly one of `token` and `code`' })

export interface MagicLinkRouteOptions {
  allowlist: RedirectAllowlist
  limit: ReturnType<typeof createRequestLimit>
  requester: (request: FastifyRequest) => Requester
  network: (ip: string) => string
  cookie: Omit<Parameters<typeof nonceCookie>[2], 'maxAgeSeconds'>
  ttlSeconds: number
}

export function magicLinkRoutes (app: App, links: MagicLinks, options: MagicLinkRouteOptions): void {
  app.post('/api/v1/auth/magic-link', {
    schema: {
      tags,
      summary: 'Mail a sign-in link',
      description: 'Always 202 with the same body, whether or not the address has an account: the lookup and the mail happen in the background ' +
        '(an address without an account gets a link only when AUTH_MAGIC_LINK_SIGNUP is on; a disabled account gets none). ' +
        `The answer sets the \`${MAGIC_LINK_COOKIE}\` cookie (HttpOnly, SameSite=Lax, Path=/api/v1/auth/magic-link) that binds the link to this browser. ` +
        'Limited per client network (429 `rate_limited`) and per address (further requests within the hour are answered 202 and dropped). ' +
        'A `redirectTo` outside AUTH_REDIRECT_ALLOWLIST: 400 `validation_failed` naming it.',
      body: RequestBody,
      response: { 202: Type.Object({ message: Type.String() }), ...problemResponses(400, 429, 503) }
    }
  }, async (request, reply) => {
    const email = normalizeEmail(request.body.email)
    if (!email) throw KitErrors.validation_failed({ detail: 'email must be a valid email address', errors: [{ path: '/body/email', message: 'must be a valid email address' }] })
    const redirectTo = request.body.redirectTo === undefined ? null : options.allowlist.check(request.body.redirectTo, '/body/redirectTo')
    const who = options.requester(request)
    await options.limit.admit(options.network(who.ip))
    // One nonce per browser: every link it asks for is bound to it, not only the latest.
    const nonce = presentedNonce(request) ?? newSecret()
    await links.request(email, redirectTo, nonce, who)
    reply.header('set-cookie', nonceCookie(nonce, request, { ...options.cookie, maxAgeSeconds: options.ttlSeconds }))
    return reply.code(202).header('cache-control', 'no-store').send(ACCEPTED)
  })

  app.post('/api/v1/auth/magic-link/verify', {
    schema: {
      tags,
      summary: 'Sign in with a magic link',
      description: 'With the `token` of the mailed link (an app that opens the link itself), or the `code` the hosted page returned to `redirectTo`. ' +
        'The token pair, or `{ mfaRequired: true, challengeId, channel }` when two-step login is on (answer it at POST /api/v1/auth/mfa/verify). ' +
        'A link is spent once: 400 `magic_link_invalid` (unknown), 410 `magic_link_expired`, 410 `magic_link_used`; each is audited (`auth.login_failed`). ' +
        `From another browser than the one that asked (no matching \`${MAGIC_LINK_COOKIE}\` cookie): 409 \`magic_link_other_device\` with ` +
        '`requestedFrom: { agent, network, at }` and nothing spent; show it to the person and send `confirmDevice: true` if they confirm. ' +
        'A disabled account: 403 `account_disabled`.',
      body: VerifyBody,
      response: { 200: Type.Union([Type.Ref('TokenPair'), Type.Ref('MfaChallenge')]), ...problemResponses(400, 403, 409, 410, 503) }
    }
  }, async (request, reply) => {
    const { token, code, confirmDevice } = request.body
    if ((token === undefined) === (code === undefined)) {
      throw KitErrors.validation_failed({ detail: 'exactly one of token or code is required', errors: [{ path: '/body/token', message: 'or code is required, not both' }] })
    }
    const who = { ...options.requester(request), nonce: presentedNonce(request), confirmDevice, requestId: request.id }
    reply.header('cache-control', 'no-store')
    return token !== undefined ? links.verify(token, who) : links.exchange(code!, who)
  })
}
