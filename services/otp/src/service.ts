import { hkdfSync } from 'node:crypto'
import { fileURLToPath } from 'node:url'
import { defineService } from '@app/kit/service'
import { otpRetention } from './retention.ts'
import { OtpConfigSchema } from './config.ts'
import { createLimits } from './limits.ts'
import { createLiveCodes } from './live-codes.ts'
import { createOtpService } from './otp-service.ts'
import { createOtpStore } from './otp-store.ts'
import { internalRoutes } from './routes/internal.ts'
import { publicRoutes } from './routes/public.ts'
import { otpRpc } from './routes/rpc.ts'
import { serveRpc } from '@app/kit/rpc'
import { SentSchema } from './schemas.ts'
import { OTP_REQUEST_COMPLETED, OTP_REQUEST_QUEUE, OTP_REQUEST_ROUTING_KEY, OTP_RESULT_ROUTING_KEY, VERIFICATION_EXCHANGE } from '@app/contracts/verification'
import type { OtpRequest, OtpResult } from '@app/contracts/verification'
import { hasErrorCode } from '@app/kit/errors'

export const otpService = defineService({
  name: 'otp',
  description: 'One-time codes by SMS or email: generate, resend, regenerate, validate, with limits against abuse.',
  configSchema: OtpConfigSchema,
  migrationsDir: fileURLToPath(new URL('../migrations', import.meta.url)),
  retention: otpRetention,
  async setup (app, ctx) {
    const { config, db } = ctx
    if (!config.SERVICE_SECRET) throw new Error('the otp service needs SERVICE_SECRET: codes are derived and checked with a key from it')
    // Redis down: limits count per instance and codes are read from PostgreSQL; /readyz says degraded.
    const { cache } = ctx
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
    const rpc = await serveRpc(app, otpRpc(otp, config.SERVICE_SECRET), { grpcPort: config.GRPC_PORT, host: config.HOST, log: ctx.log })
    ctx.onClose(rpc.close)

    // Code requests from the auth service over RabbitMQ; the answer is a status, never the code.
    await ctx.consume({
      name: 'requests',
      exchange: VERIFICATION_EXCHANGE,
      queue: OTP_REQUEST_QUEUE,
      bindings: [OTP_REQUEST_ROUTING_KEY],
      prepare: async (event): Promise<OtpResult['status']> => {
        const request = event.data as OtpRequest
        try {
          await otp.generate({ destination: request.destination, purpose: request.purpose, userId: request.userId ?? undefined })
          return 'sent'
        } catch (err) {
          if (hasErrorCode(err, 'rate_limited')) return 'rate_limited'
          if (hasErrorCode(err, 'validation_failed')) return 'invalid'
          throw err
        }
      }
    }, async (event, tx, status) => {
      const request = event.data as OtpRequest
      const result: OtpResult = { requestId: request.requestId, destination: request.destination, purpose: request.purpose, status }
      await ctx.events.emit(tx, OTP_REQUEST_COMPLETED, result, request.userId ?? undefined, { exchange: VERIFICATION_EXCHANGE, routingKey: OTP_RESULT_ROUTING_KEY })
    })
  }
})
