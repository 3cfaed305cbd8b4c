import type { Static } from '@sinclair/typebox'
import type { FastifyRequest } from 'fastify'
import { dataOf } from '@app/kit/bus'
import type { App } from '@app/kit/http'
import { clientIp } from '@app/kit/http'
import type { ServiceContext } from '@app/kit/service'
import type { AuthService } from '../auth-service.ts'
import type { AuthConfigSchema } from '../config.ts'
import type { Mfa } from '../mfa.ts'
import type { MfaStore } from '../mfa-store.ts'
import type { LoginClients } from '../password-login.ts'
import { AUTH_JOBS_EXCHANGE } from '../phone-auth.ts'
import { createRedirectAllowlist } from '../redirect-allowlist.ts'
import type { UserClient } from '../user-client.ts'
import { clientNetwork } from '../client-network.ts'
import { createEmailClaim } from './claim.ts'
import { createMagicLinks, MAGIC_LINK_RECEIVED } from './magic-links.ts'
import { magicLinkPageRoutes } from './page.ts'
import { createRequestLimit } from './request-limit.ts'
import { magicLinkRoutes } from './routes.ts'
import { createMagicLinkStore } from './store.ts'

export interface MagicLinkInstallDeps {
  auth: Pick<AuthService, 'startSession' | 'revokeSessions'>
  mfa: Pick<Mfa, 'challengeFor'>
  mfaStore: Pick<MfaStore, 'removeSetUpBefore'>
  users: Pick<UserClient, 'findByEmail' | 'findOrCreateByEmail'>
  login: Pick<LoginClients, 'knownClients' | 'secondSteps'>
}

/**
 * Magic links: the request route and its background mailer, the hosted page, sign-in, taking over an account whose
 * unverified email a link proved, and erasure with a deleted account.
 */
export async function installMagicLinks (app: App, ctx: ServiceContext<Static<typeof AuthConfigSchema>>, deps: MagicLinkInstallDeps): Promise<void> {
  const { config } = ctx
  const now = () => ctx.now()
  const store = createMagicLinkStore(ctx.db)
  const claim = createEmailClaim({ db: ctx.db, events: ctx.events, auth: deps.auth, mfa: deps.mfaStore })
  const links = createMagicLinks({
    db: ctx.db,
    events: ctx.events,
    users: deps.users as UserClient,
    store,
    cache: ctx.cache,
    log: ctx.log,
    now,
    sealKeys: ctx.keys.seal,
    settings: {
      ttlSeconds: config.AUTH_MAGIC_LINK_TTL_SECONDS,
      signup: config.AUTH_MAGIC_LINK_SIGNUP,
      linkUrl: config.AUTH_MAGIC_LINK_URL,
      maxPerHour: config.AUTH_MAGIC_LINK_MAX_PER_HOUR
    },
    startSession: deps.auth.startSession,
    challengeFor: deps.mfa.challengeFor,
    knownClients: deps.login.knownClients,
    secondSteps: deps.login.secondSteps,
    claimed: claim.claimed
  })
  const requester = (request: FastifyRequest) => {
    const userAgent = request.headers['user-agent']
    return { ip: clientIp(request), userAgent: typeof userAgent === 'string' ? userAgent : undefined }
  }
  magicLinkRoutes(app, links, {
    allowlist: createRedirectAllowlist(config.AUTH_REDIRECT_ALLOWLIST),
    limit: createRequestLimit(ctx.cache, now, config.AUTH_MAGIC_LINK_MAX_PER_IP_PER_HOUR),
    requester,
    network: clientNetwork,
    cookie: { secure: config.AUTH_DEVICE_COOKIE_SECURE, production: config.NODE_ENV === 'production' },
    ttlSeconds: config.AUTH_MAGIC_LINK_TTL_SECONDS
  })
  await magicLinkPageRoutes(app, links, requester, new URL(config.AUTH_MAGIC_LINK_URL).origin)

  await ctx.consume({
    name: 'magic-link',
    exchange: AUTH_JOBS_EXCHANGE,
    bindings: [MAGIC_LINK_RECEIVED],
    prepare: event => links.prepareSend(dataOf(event, MAGIC_LINK_RECEIVED))
  }, async (event, tx, target) => {
    if (target) await links.completeSend(dataOf(event, MAGIC_LINK_RECEIVED), target, tx)
  })

  // The sign-in that claimed an account ends the previous holder's sessions itself; this repeats it in case that was lost.
  await ctx.consume({ name: 'email-claimed', bindings: ['user.email_verified'] }, async (event, tx) => {
    const data = dataOf(event, 'user.email_verified')
    if (data.claimed === true) await claim.repeat(data.userId, new Date(event.time), tx)
  })

  await ctx.consume({ name: 'magic-links-erase', bindings: ['user.deleted'] }, async (event, tx) => {
    const data = dataOf(event, 'user.deleted')
    await store.eraseUser(data.userId, data.email, tx)
  })
}
