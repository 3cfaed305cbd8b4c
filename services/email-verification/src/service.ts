import { fileURLToPath } from 'node:url'
import { defineService } from '@app/kit/service'
import { emailVerificationRetention } from './retention.ts'
import { createUserClient } from './clients.ts'
import { EmailVerificationConfigSchema } from './config.ts'
import { createEmailVerificationService, JOBS_EXCHANGE, SEND_RECEIVED } from './email-verification-service.ts'
import { addressToVerify } from './new-address.ts'
import { dataOf } from '@app/kit/bus'
import { publicRoutes } from './routes/public.ts'
import { verifyPageRoutes } from './routes/verify-page.ts'
import { createVerificationTokenStore } from './verification-tokens.ts'
import { forgetDeletedUser } from './user-deleted.ts'

export const emailVerificationService = defineService({
  name: 'email-verification',
  description: 'Email verification links: sends them, verifies them, and serves the page a link opens.',
  configSchema: EmailVerificationConfigSchema,
  migrationsDir: fileURLToPath(new URL('../migrations', import.meta.url)),
  retention: emailVerificationRetention,
  async setup (app, ctx) {
    const { config, db } = ctx
    // Fails start-up (naming EVENT_SEAL_KEYS) rather than the first send when the keyring is missing.
    ctx.keys.seal.current()
    const users = createUserClient(ctx.client('user'))
    const verification = createEmailVerificationService({
      db,
      tokens: createVerificationTokenStore(db),
      users,
      events: ctx.events,
      cache: ctx.cache,
      log: ctx.log,
      now: () => ctx.now(),
      sealKeys: ctx.keys.seal,
      ttlSeconds: config.EMAIL_VERIFICATION_TTL_SECONDS,
      verifyUrl: config.EMAIL_VERIFICATION_URL,
      maxPerHour: config.EMAIL_VERIFICATION_MAX_PER_HOUR
    })
    publicRoutes(app, verification)
    await verifyPageRoutes(app, verification)

    await ctx.consume({
      name: 'send',
      exchange: JOBS_EXCHANGE,
      bindings: [SEND_RECEIVED],
      prepare: event => verification.prepareSend(dataOf(event, SEND_RECEIVED))
    }, async (_event, tx, recipient) => {
      if (recipient) await verification.completeSend(recipient, tx)
    })

    // One queue for both, so a registration and a quick email change arrive in the order they happened.
    await ctx.consume({
      name: 'user-email',
      bindings: ['user.registered', 'user.updated'],
      prepare: event => addressToVerify(event, users)
    }, async (_event, tx, recipient) => {
      if (recipient) await verification.mailNewAddress(recipient, tx)
    })

    await ctx.consume({ name: 'user-deleted', bindings: ['user.deleted'] }, async (event, tx) => {
      await forgetDeletedUser(event.data.userId, tx)
    })
  }
})
