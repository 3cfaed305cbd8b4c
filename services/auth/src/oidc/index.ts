import type { Static } from '@sinclair/typebox'
import type { ServiceClient } from '@app/kit/client'
import type { App } from '@app/kit/http'
import type { ServiceContext } from '@app/kit/service'
import type { AuthConfigSchema } from '../config.ts'
import type { AuthService } from '../auth-service.ts'
import type { MfaChallenge } from '../mfa.ts'
import { createRedirectAllowlist } from '../redirect-allowlist.ts'
import type { UserClient, UserSummary } from '../user-client.ts'
import { createAccountLink } from './account-link.ts'
import { createOidcSignIn } from './oidc-sign-in.ts'
import { createOidcStore } from './oidc-store.ts'
import { createProviderDirectory } from './provider-directory.ts'
import { checkCallbackTemplate, parseOidcProviders } from './providers-config.ts'
import { oidcRoutes } from './routes.ts'

export interface OidcInstallDeps {
  users: UserClient
  startSession: AuthService['startSession']
  /** The two-step login challenge of a user who has it on. */
  secondFactor: (user: UserSummary) => Promise<MfaChallenge | undefined>
}

/** The user service's lookup by email (`user_not_found` when none has it). */
const emailLookup = (client: ServiceClient) => (email: string, requestId?: string) =>
  client.call<UserSummary>('GET', '/internal/users/lookup', { query: { email }, requestId })

/**
 * Sign-in with the OpenID Connect providers of AUTH_OIDC_PROVIDERS: the
 * routes, background discovery, and the erasure of a deleted account's links.
 * A malformed provider list stops the service at start-up (ConfigError).
 */
export async function installOidc (app: App, ctx: ServiceContext<Static<typeof AuthConfigSchema>>, deps: OidcInstallDeps): Promise<void> {
  const { config, db } = ctx
  const providers = parseOidcProviders(config.AUTH_OIDC_PROVIDERS, ctx.env)
  checkCallbackTemplate(config.AUTH_OIDC_CALLBACK_URL)
  const now = () => ctx.now()
  const store = createOidcStore(db)
  const directory = createProviderDirectory({ providers, timeoutSeconds: config.AUTH_OIDC_TIMEOUT_SECONDS, log: ctx.log })
  directory.warm()
  ctx.onClose(async () => directory.close())
  const signIn = createOidcSignIn({
    db,
    store,
    directory,
    accounts: createAccountLink({ db, store, events: ctx.events, users: deps.users, findByEmail: emailLookup(ctx.client('user')), now }),
    users: deps.users,
    events: ctx.events,
    log: ctx.log,
    allowlist: createRedirectAllowlist(config.AUTH_REDIRECT_ALLOWLIST),
    callbackUrl: config.AUTH_OIDC_CALLBACK_URL,
    flowTtlSeconds: config.AUTH_OIDC_FLOW_TTL_SECONDS,
    now,
    startSession: deps.startSession,
    secondFactor: deps.secondFactor
  })
  oidcRoutes(app, signIn, { providers, flowTtlSeconds: config.AUTH_OIDC_FLOW_TTL_SECONDS, production: config.NODE_ENV === 'production' })

  await ctx.consume({ name: 'oidc-account-erasure', bindings: ['user.deleted'] }, async (event, tx) => {
    await store.eraseUser(event.data.userId, tx)
  })
}
