import { fileURLToPath } from 'node:url'
import { defineService } from '@app/kit/service'
import { emailVerificationRetention } from './retention.ts'
import { createUserClient } from './clients.ts'
import { EmailVerificationConfigSchema } from './config.ts'
import { createEmailVerificationService, JOBS_EXCHANGE, SEND_RECEIVED } from './email-verification-service.ts'
import type { SendJob } from './email-verification-service.ts'
import { publicRoutes } from './routes/public.ts'
import { verifyPageRoutes } from './routes/verify-page.ts'
import { createVerificationTokenStore } from './verification-tokens.ts'

/** What this service reads of `user.registered` and `user.updated`. */
interface UserContactEvent {
  userId: string
  email: string | null
  locale?: string
  emailChanged?: boolean
}

export const emailVerificationService = defineService({
  name: 'email-verification',
  description: 'Email verification links: sends them, verifies them, and serves the page a link opens.',
  configSchema: EmailVerificationConfigSchema,
  migrationsDir: fileURLToPath(new URL('../migrations', import.meta.url)),
  retention: emailVerificationRetention,
  async setup (app, ctx) {
    const { config, db } = ctx
    if (!config.SERVICE_SECRET) throw new Error('the email-verification service needs SERVICE_SECRET: it seals verification links for the notification service')
    const verification = createEmailVerificationService({
      db,
      tokens: createVerificationTokenStore(db),
      users: createUserClient(ctx.client('user')),
      events: ctx.events,
      cache: ctx.cache,
      log: ctx.log,
      now: () => ctx.now(),
      serviceSecret: config.SERVICE_SECRET,
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
      prepare: event => verification.prepareSend(event.data as SendJob)
    }, async (_event, tx, recipient) => {
      if (recipient) await verification.completeSend(recipient, tx)
    })

    // One queue for both, so a registration and a quick email change arrive in the order they happened.
    await ctx.consume({ name: 'user-email', bindings: ['user.registered', 'user.updated'] }, async (event, tx) => {
      const user = event.data as UserContactEvent
      const isNewAddress = event.type === 'user.registered' || user.emailChanged === true
      if (!isNewAddress || !user.email) return
      await verification.mailNewAddress({ userId: user.userId, email: user.email, locale: user.locale }, tx)
    })
  }
})
