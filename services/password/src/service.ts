import { fileURLToPath } from 'node:url'
import { defineService } from '@app/kit/service'
import { passwordRetention } from './retention.ts'
import { createAuthClient, createOtpClient, createUserClient } from './clients.ts'
import { PasswordConfigSchema } from './config.ts'
import { createPasswordService, FORGOT_RECEIVED, JOBS_EXCHANGE } from './password-service.ts'
import type { ForgotJob } from './password-service.ts'
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
    if (!config.SERVICE_SECRET) throw new Error('the password service needs SERVICE_SECRET: it seals reset links for the notification service')
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
      serviceSecret: config.SERVICE_SECRET,
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
      prepare: event => passwords.prepareForgot(event.data as ForgotJob)
    }, async (event, tx, user) => {
      if (user) await passwords.completeForgot(event.data as ForgotJob, user, tx)
    })
  }
})
