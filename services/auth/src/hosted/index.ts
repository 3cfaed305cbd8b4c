import type { Static } from '@sinclair/typebox'
import type { FastifyRequest } from 'fastify'
import { dataOf } from '@app/kit/bus'
import type { App } from '@app/kit/http'
import type { ServiceContext } from '@app/kit/service'
import type { AuthService } from '../auth-service.ts'
import type { AuthConfigSchema } from '../config.ts'
import { parseOidcProviders } from '../oidc/providers-config.ts'
import { relyingPartyFrom } from '../passkeys/relying-party.ts'
import type { SessionCaller } from '../reauth.ts'
import { createRedirectAllowlist } from '../redirect-allowlist.ts'
import type { UserClient } from '../user-client.ts'
import { createHandoff } from './handoff.ts'
import { createHandoffStore } from './handoff-store.ts'
import { hostedRoutes } from './routes.ts'

export interface HostedInstallDeps {
  auth: Pick<AuthService, 'startDerivedSession'>
  users: Pick<UserClient, 'getUser'>
  callerOf: (request: FastifyRequest) => Promise<SessionCaller>
}

/** What the hosted pages need from auth: their configuration, and the handoff of a sign-in to an app on another origin. */
export async function installHosted (app: App, ctx: ServiceContext<Static<typeof AuthConfigSchema>>, deps: HostedInstallDeps): Promise<void> {
  const { config } = ctx
  const allowlist = createRedirectAllowlist(config.AUTH_REDIRECT_ALLOWLIST)
  const store = createHandoffStore(ctx.db)
  const handoff = createHandoff({ db: ctx.db, store, events: ctx.events, users: deps.users, allowlist, now: () => ctx.now(), startDerivedSession: deps.auth.startDerivedSession, allowAdmin: config.AUTH_HANDOFF_ALLOW_ADMIN })
  hostedRoutes(app, handoff, {
    config: {
      redirectAllowlist: allowlist.entries,
      passkeys: relyingPartyFrom(config).enabled,
      magicLinks: true,
      magicLinkSignup: config.AUTH_MAGIC_LINK_SIGNUP,
      sms: config.SMS_ENABLED !== false,
      oidcProviders: parseOidcProviders(config.AUTH_OIDC_PROVIDERS, ctx.env).map(p => ({ id: p.id, name: p.name }))
    },
    reauthMaxAgeSeconds: config.REAUTH_MAX_AGE_SECONDS,
    now: () => ctx.now(),
    callerOf: deps.callerOf
  })
  await ctx.consume({ name: 'handoff-erase', bindings: ['user.deleted'] }, async (event, tx) => {
    await store.eraseUser(dataOf(event, 'user.deleted').userId, tx)
  })
}
