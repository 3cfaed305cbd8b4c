import { fileURLToPath } from 'node:url'
import { sealSecrets } from '@app/contracts/delivery'
import { requireRecentAuth } from '@app/kit/http'
import { defineService } from '@app/kit/service'
import { createAccountService } from './account-service.ts'
import { ensureConfiguredAdmin } from './admin.ts'
import { createAdminService } from './admin-service.ts'
import { createAuthClient, createOtpClient } from './clients.ts'
import { UserConfigSchema } from './config.ts'
import { createEmailAccounts } from './email-accounts.ts'
import { createEmailChangeService } from './email-change-service.ts'
import { createFreshProof } from './fresh-proof.ts'
import { createOrderCounter } from './order-count.ts'
import { BATCH_PREFETCH } from '@app/kit/bus'
import { createPasswordHasher, hashParams } from './password-hasher.ts'
import { createPhoneChangeService } from './phone-change-service.ts'
import { createPreferencesService } from './preferences-service.ts'
import { createPreferencesStore } from './preferences-store.pg.ts'
import { createProfileService } from './profile-service.ts'
import { userRetention } from './retention.ts'
import { emailAccountRoutes } from './routes/email-accounts.ts'
import { emailChangeRoutes } from './routes/email-change.ts'
import { internalRoutes } from './routes/internal.ts'
import { meRoutes } from './routes/me.ts'
import { publicRoutes } from './routes/public.ts'
import { userRoutes } from './routes/users.ts'
import { UserSchema } from './schemas.ts'
import { createUndoTokenStore } from './undo-tokens.ts'
import { createUserService } from './user-service.ts'
import { createUserStore } from './user-store.pg.ts'

export const userService = defineService({
  name: 'user',
  description: 'Registration, profiles, preferences and roles; verifies credentials for the auth service.',
  configSchema: UserConfigSchema,
  migrationsDir: fileURLToPath(new URL('../migrations', import.meta.url)),
  retention: userRetention,
  async setup (app, ctx) {
    const { db, events, config, log, consume } = ctx
    const now = () => ctx.now()
    const hasher = createPasswordHasher(hashParams(config))
    const store = createUserStore(db)
    const auth = createAuthClient(ctx.client('auth'))
    const otp = createOtpClient(ctx.client('otp'))
    const proof = createFreshProof({ store, hasher, otp, cache: ctx.cache })
    const users = createUserService({ db, store, hasher, events })
    const emailChange = createEmailChangeService({
      db,
      store,
      undoTokens: createUndoTokenStore(db),
      events,
      auth,
      now,
      seal: values => sealSecrets(values, ctx.keys.seal),
      undoUrl: config.USER_EMAIL_CHANGE_UNDO_URL,
      undoTtlSeconds: config.USER_EMAIL_CHANGE_UNDO_TTL_SECONDS
    })
    const phoneChange = createPhoneChangeService({ db, store, events, otp })
    const profiles = createProfileService({ db, store, events, proof, emailChange, phoneChange })
    const accounts = createAccountService({ db, store, events, auth, proof, log, now })
    const preferences = createPreferencesService({ db, users: store, preferences: createPreferencesStore(db), events })
    await ensureConfiguredAdmin({ db, hasher, events }, config, log)
    app.addSchema(UserSchema)
    publicRoutes(app, users)
    const isRecent = (request: Parameters<typeof requireRecentAuth>[0]) => {
      try {
        requireRecentAuth(request, config.REAUTH_MAX_AGE_SECONDS, now())
        return true
      } catch {
        return false
      }
    }
    meRoutes(app, { profiles, preferences, accounts, phoneChange, isRecent })
    userRoutes(app, profiles, createAdminService({ db, store, events }), accounts)
    await emailChangeRoutes(app, emailChange)
    const orderCounts = createOrderCounter()
    internalRoutes(app, users, preferences, emailChange)
    emailAccountRoutes(app, createEmailAccounts({ db, store, events }))

    // Orders in flight together are counted in one transaction and one update.
    await consume({ name: 'order-count', bindings: ['order.created'], prefetch: Math.max(config.BUS_PREFETCH, BATCH_PREFETCH) }, async (event, tx) => {
      await orderCounts.countOrder(event.data.userId, tx)
    })
  }
})
