import { hkdfSync } from 'node:crypto'
import { fileURLToPath } from 'node:url'
import { withLocalFallback } from '@app/kit/cache'
import { defineService } from '@app/kit/service'
import { OtpConfigSchema } from './config.ts'
import { createLimits } from './limits.ts'
import { createLiveCodes } from './live-codes.ts'
import { createOtpService } from './otp-service.ts'
import { createOtpStore } from './otp-store.ts'
import { internalRoutes } from './routes/internal.ts'
import { publicRoutes } from './routes/public.ts'
import { SentSchema } from './schemas.ts'

export const otpService = defineService({
  name: 'otp',
  description: 'One-time codes by SMS or email: generate, resend, regenerate, validate, with limits against abuse.',
  configSchema: OtpConfigSchema,
  migrationsDir: fileURLToPath(new URL('../migrations', import.meta.url)),
  async setup (app, ctx) {
    const { config, db } = ctx
    if (!config.SERVICE_SECRET) throw new Error('the otp service needs SERVICE_SECRET: codes are derived and checked with a key from it')
    // Redis down: limits count per instance and codes are read from PostgreSQL; /readyz says degraded.
    const cache = withLocalFallback(ctx.cache, ctx.log)
    ctx.addReadinessCheck({ name: 'otp-cache', check: async () => cache.isDegraded() ? 'degraded' : undefined })
    const store = createOtpStore(db)
    const otp = createOtpService({
      db,
      store,
      live: createLiveCodes(cache, store),
      limits: createLimits(cache, {
        cooldownSeconds: config.OTP_RESEND_COOLDOWN_SECONDS,
        perDestinationHour: config.OTP_MAX_SENDS_PER_HOUR,
        perDestinationDay: config.OTP_MAX_SENDS_PER_DAY,
        perIpHour: config.OTP_MAX_SENDS_PER_IP_HOUR,
        globalPerMinute: config.OTP_MAX_SENDS_PER_MINUTE,
        failuresPerHour: config.OTP_MAX_FAILURES_PER_HOUR
      }),
      events: ctx.events,
      now: () => ctx.now(),
      hmacKey: Buffer.from(hkdfSync('sha256', config.SERVICE_SECRET, '', 'gatehouse/otp/v1', 32)),
      serviceSecret: config.SERVICE_SECRET,
      ttlSeconds: config.OTP_TTL_SECONDS,
      maxAttempts: config.OTP_MAX_ATTEMPTS,
      cooldownSeconds: config.OTP_RESEND_COOLDOWN_SECONDS
    })
    app.addSchema(SentSchema)
    publicRoutes(app, otp, config.SERVICE_SECRET)
    internalRoutes(app, otp)
  }
})
