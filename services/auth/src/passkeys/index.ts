import type { App } from '@app/kit/http'
import { dataOf } from '@app/kit/bus'
import type { ServiceContext } from '@app/kit/service'
import type { AuthService } from '../auth-service.ts'
import type { AuthConfigSchema } from '../config.ts'
import { loginDefences } from '../login-defences.ts'
import type { Mfa } from '../mfa.ts'
import type { LoginClients } from '../password-login.ts'
import type { UserClient } from '../user-client.ts'
import type { Static } from '@sinclair/typebox'
import { createChallenges } from './challenges.ts'
import { createPasskeyStore } from './passkey-store.ts'
import { createPasskeys } from './passkeys.ts'
import { relyingPartyFrom } from './relying-party.ts'
import { passkeyRoutes } from './routes.ts'

export interface PasskeyInstallDeps {
  auth: Pick<AuthService, 'startSession'>
  mfa: Pick<Mfa, 'challengeFor' | 'openChallenge' | 'answerChallenge'>
  users: Pick<UserClient, 'getUser'>
  /** The known clients and held second steps of password logins (newDevice); unset: made from the same settings. */
  login?: Pick<LoginClients, 'knownClients' | 'secondSteps'>
}

/** Passkeys (WebAuthn): routes, and erasure with a deleted account. */
export async function installPasskeys (app: App, ctx: ServiceContext<Static<typeof AuthConfigSchema>>, deps: PasskeyInstallDeps): Promise<void> {
  const now = () => ctx.now()
  const store = createPasskeyStore(ctx.db)
  // Both keep their state in the database and the shared cache: a second instance sees what the login's wrote.
  const login = deps.login ?? loginDefences(ctx).clients
  const passkeys = createPasskeys({
    db: ctx.db,
    store,
    challenges: createChallenges(ctx.cache, now),
    rp: relyingPartyFrom(ctx.config),
    events: ctx.events,
    users: deps.users,
    mfa: deps.mfa,
    startSession: deps.auth.startSession,
    knownClients: login.knownClients,
    secondSteps: login.secondSteps,
    now
  })
  passkeyRoutes(app, passkeys, { reauthMaxAgeSeconds: ctx.config.REAUTH_MAX_AGE_SECONDS, now })
  await ctx.consume({ name: 'passkeys-erase', bindings: ['user.deleted'] }, async (event, tx) => {
    await store.eraseUser(dataOf(event, 'user.deleted').userId, tx)
  })
}
