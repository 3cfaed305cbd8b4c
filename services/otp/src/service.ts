import { fileURLToPath } from 'node:url'
import { defineService } from '@app/kit/service'
import { otpRetention } from './retention.ts'
import { OtpConfigSchema } from './config.ts'
import { createLimits } from './limits.ts'
import { createFraudGuard } from './fraud/fraud-guard.ts'
import { parseAllowedCountries } from './fraud/country-allow-list.ts'
import { createErasure } from './erasure.ts'
import { createLiveCodes } from './live-codes.ts'
import { createOtpService } from './otp-service.ts'
import { createOtpStore } from './otp-store.ts'
import { abuseSuspicions, measuredOtp } from './otp-metrics.ts'
import { internalRoutes } from './routes/internal.ts'
import { publicRoutes } from './routes/public.ts'
import { otpRpc } from './routes/rpc.ts'
import { serveRpc } from '@app/kit/rpc'
import { SentSchema } from './schemas.ts'
import { defaultOtpFlow, OTP_REQUEST_COMPLETED, OTP_REQUESTED, OTP_REQUEST_QUEUE, OTP_REQUEST_ROUTING_KEY, OTP_RESULT_ROUTING_KEY, VERIFICATION_EXCHANGE } from '@app/contracts/verification'
import type { OtpResult } from '@app/contracts/verification'
import { BATCH_PREFETCH, dataOf } from '@app/kit/bus'
import { hasErrorCode } from '@app/kit/errors'

export const otpService = defineService({
  name: 'otp',
  description: 'One-time codes by SMS or email: generate, resend, regenerate, validate, with limits against abuse.',
  configSchema: OtpConfigSchema,
  migrationsDir: fileURLToPath(new URL('../migrations', import.meta.url)),
  retention: otpRetention,
  async setup (app, ctx) {
    const { config, db } = ctx
    // Fails start-up (naming OTP_HMAC_KEYS or EVENT_SEAL_KEYS) rather than the first code when a keyring is missing.
    ctx.keys.otpHmac.current()
    ctx.keys.seal.current()
    // Redis down: limits count per instance and codes are read from PostgreSQL; /readyz says degraded.
    const { cache } = ctx
    const store = createOtpStore(db)
    const now = () => ctx.now()
    const fraud = createFraudGuard({
      cache,
      db,
      events: ctx.events,
      log: ctx.log,
      now,
      mode: config.OTP_FRAUD_GUARD_MODE,
      suspected: abuseSuspicions(app.metricsRegistry, config.OTP_FRAUD_GUARD_MODE),
      hashKey: ctx.keys.otpHmac.current().key,
      allowedCountries: parseAllowedCountries(config.OTP_SMS_ALLOWED_COUNTRIES),
      prefixTrailingDigits: config.OTP_FRAUD_PREFIX_TRAILING_DIGITS,
      prefix: { windowSeconds: config.OTP_FRAUD_PREFIX_WINDOW_SECONDS, maxSends: config.OTP_FRAUD_PREFIX_MAX_SENDS },
      perIp: { windowSeconds: config.OTP_FRAUD_IP_WINDOW_SECONDS, maxDestinations: config.OTP_FRAUD_IP_MAX_DESTINATIONS },
      conversion: {
        windowSeconds: config.OTP_FRAUD_CONVERSION_WINDOW_SECONDS,
        minSends: config.OTP_FRAUD_CONVERSION_MIN_SENDS,
        minPercent: config.OTP_FRAUD_CONVERSION_MIN_PERCENT
      }
    })
    const otp = measuredOtp(createOtpService({
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
      }, now),
      fraud,
      events: ctx.events,
      now,
      hmacKeys: ctx.keys.otpHmac,
      sealKeys: ctx.keys.seal,
      ttlSeconds: config.OTP_TTL_SECONDS,
      maxAttempts: config.OTP_MAX_ATTEMPTS,
      cooldownSeconds: config.OTP_RESEND_COOLDOWN_SECONDS,
      smsEnabled: config.SMS_ENABLED
    }), app.metricsRegistry)
    app.addSchema(SentSchema)
    publicRoutes(app, otp)
    internalRoutes(app, otp)
    const rpc = await serveRpc(app, otpRpc(otp), { grpcPort: config.GRPC_PORT, host: config.HOST, log: ctx.log })
    ctx.onClose(rpc.close)

    // Code requests from the auth service over RabbitMQ; the answer is a status, never the code.
    await ctx.consume({
      name: 'requests',
      exchange: VERIFICATION_EXCHANGE,
      queue: OTP_REQUEST_QUEUE,
      bindings: [OTP_REQUEST_ROUTING_KEY],
      // Requests in flight together share their writes: the codes' statement and the consumer's transaction.
      prefetch: Math.max(config.BUS_PREFETCH, BATCH_PREFETCH),
      types: [OTP_REQUESTED],
      prepare: async (event): Promise<OtpResult['status']> => {
        const request = dataOf(event, OTP_REQUESTED)
        try {
          await otp.generate({
            destination: request.destination,
            purpose: request.purpose,
            flow: request.flow ?? defaultOtpFlow(request.purpose),
            userId: request.userId ?? undefined
          })
          return 'sent'
        } catch (err) {
          if (hasErrorCode(err, 'rate_limited')) return 'rate_limited'
          if (hasErrorCode(err, 'validation_failed', 'sms_unavailable')) return 'invalid'
          throw err
        }
      }
    }, async (event, tx, status) => {
      const request = dataOf(event, OTP_REQUESTED)
      const result: OtpResult = { requestId: request.requestId, destination: request.destination, purpose: request.purpose, status }
      await ctx.events.emit(tx, OTP_REQUEST_COMPLETED, result, request.userId ?? undefined, { exchange: VERIFICATION_EXCHANGE, routingKey: OTP_RESULT_ROUTING_KEY })
    })

    // A deleted account's codes and per-address counters go with it.
    const erasure = createErasure(store, cache)
    await ctx.consume({ name: 'user-deleted', bindings: ['user.deleted'] }, async (event, tx) => {
      await erasure.eraseUser(event.data, tx)
    })
  }
})
