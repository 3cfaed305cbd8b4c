import { fileURLToPath } from 'node:url'
import { defineService } from '@app/kit/service'
import { passwordRetention } from './retention.ts'
import { createAuthClient, createOtpClient, createUserClient } from './clients.ts'
import { PasswordConfigSchema } from './config.ts'
import { createPasswordService, FORGOT_RECEIVED, JOBS_EXCHANGE } from './password-service.ts'
import { dataOf } from '@app/kit/bus'
import { createResetTokenStore, hashResetToken } from './reset-tokens.ts'
import { publicRoutes } from './routes/public.ts'
import { resetPageRoutes } from './routes/reset-page.ts'

export const passwordService = defineService({
  name: 'password',
  description: 'Forgot, reset and change password.',
  configSchema: PasswordConfigSchema,
  migrationsDir: fileURLToPath(new URL('../migrations', import.meta.url)),
  retention: passwordRetention,
  async setup (app, ctx) {
    const { config, db } = ctx
    // Fails start-up (naming EVENT_SEAL_KEYS) rather than the first reset when the keyring is missing.
    ctx.keys.seal.current()
    const tokens = createResetTokenStore(db)
    const passwords = createPasswordService({
      db,
      tokens,
      users: createUserClient(ctx.client('user')),
      auth: createAuthClient(ctx.client('auth')),
      otp: createOtpClient(ctx.client('otp')),
      events: ctx.events,
      cache: ctx.cache,
      log: ctx.log,
      now: () => ctx.now(),
      sealKeys: ctx.keys.seal,
      resetTtlSeconds: config.PASSWORD_RESET_TTL_SECONDS,
      resetUrl: config.PASSWORD_RESET_URL,
      forgotMaxPerHour: config.PASSWORD_FORGOT_MAX_PER_HOUR
    })
    publicRoutes(app, passwords)
    await resetPageRoutes(app, passwords, async token => (await tokens.findLive(hashResetToken(token), ctx.now())) !== undefined)

    await ctx.consume({
      name: 'forgot',
      exchange: JOBS_EXCHANGE,
      bindings: [FORGOT_RECEIVED],
      prepare: event => passwords.prepareForgot(dataOf(event, FORGOT_RECEIVED))
    }, async (event, tx, user) => {
      if (user) await passwords.completeForgot(dataOf(event, FORGOT_RECEIVED), user, tx)
    })

    await ctx.consume({ name: 'user-deleted', bindings: ['user.deleted'] }, async (event, tx) => {
      await tokens.deleteAllOf(event.data.userId, tx)
    })
  }
})
