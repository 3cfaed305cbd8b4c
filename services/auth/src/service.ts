import { fileURLToPath } from 'node:url'
import { defineService } from '@app/kit/service'
import { authRetention } from './retention.ts'
import { createAuthService } from './auth-service.ts'
import { AuthConfigSchema } from './config.ts'
import { keyEncryptionKey } from './key-encryption.ts'
import { loginDefences } from './login-defences.ts'
import { authRoutes } from './routes/auth.ts'
import { createOtpClient } from './otp-client.ts'
import { AUTH_JOBS_EXCHANGE, createPhoneAuth, PHONE_LOGIN_REQUESTED } from './phone-auth.ts'
import { internalRoutes } from './routes/internal.ts'
import { phoneRoutes } from './routes/phone.ts'
import { mfaRoutes } from './routes/mfa.ts'
import { createMfa } from './mfa.ts'
import type { Mfa } from './mfa.ts'
import { createMfaStore } from './mfa-store.ts'
import { authRpc } from './routes/rpc.ts'
import { serveRpc } from '@app/kit/rpc'
import { jwksRoutes } from './routes/jwks.ts'
import { installPasskeys } from './passkeys/index.ts'
import { installOidc } from './oidc/index.ts'
import { installHosted } from './hosted/index.ts'
import { installMagicLinks } from './magic-links/index.ts'
import { reauthRoutes } from './routes/reauth.ts'
import { sessionRoutes } from './routes/sessions.ts'
import { adminCallerOf, adminSessionRoutes } from './routes/admin-sessions.ts'
import { consumeAccountEvents } from './account-events.ts'
import { createReauth } from './reauth.ts'
import { createReauthOtpClient } from './reauth-otp-client.ts'
import { sessionCallerOf } from './session-caller.ts'
import { createSessions } from './sessions.ts'
import { MfaChallengeSchema, TokenPairSchema } from './schemas.ts'
import { createSessionStore } from './session-store.pg.ts'
import { createRevocationFeed } from './revocation-feed.ts'
import { createKeyring, ensureSigningKey } from './signing-keys.ts'
import { createAccessTokens } from './tokens.ts'
import { createUserClient } from './user-client.ts'
import { OTP_REQUEST_COMPLETED, OTP_RESULT_QUEUE, OTP_RESULT_ROUTING_KEY, VERIFICATION_EXCHANGE } from '@app/contracts/verification'
import { BATCH_PREFETCH, dataOf } from '@app/kit/bus'
import { createOtpResults } from './otp-results.ts'
import { countedAuthEvents } from './login-metrics.ts'

export { rotateSigningKeys } from './signing-keys.ts'
export { keyEncryptionKey } from './key-encryption.ts'

export const authService = defineService({
  name: 'auth',
  description: 'Password login, EdDSA access tokens, rotating refresh tokens, sessions and the JWKS.',
  configSchema: AuthConfigSchema,
  migrationsDir: fileURLToPath(new URL('../migrations', import.meta.url)),
  retention: authRetention,
  async setup (app, ctx) {
    const { config, db } = ctx
    // First: every login path, here and in the feature folders, emits through ctx.events and is counted.
    ctx.events = countedAuthEvents(ctx.events, app.metricsRegistry)
    const encryptionKey = keyEncryptionKey(config)
    await ensureSigningKey(db, { encryptionKey, now: ctx.now() })
    // Read through ctx on every call: tests replace ctx.now to travel in time.
    const now = () => ctx.now()
    const keys = createKeyring(db, encryptionKey, now)
    const tokens = createAccessTokens({ keys, issuer: config.AUTH_ISSUER, audience: config.AUTH_AUDIENCE, ttlSeconds: config.AUTH_ACCESS_TTL_SECONDS, now })
    const users = createUserClient(ctx.client('user'))
    const otp = createOtpClient(ctx.client('otp'))
    // Login asks the second factor, which starts sessions through auth: the closure breaks the cycle.
    // eslint-disable-next-line prefer-const -- assigned after auth, which it needs
    let mfa: Mfa | undefined
    const sessions = createSessionStore(db)
    const login = loginDefences(ctx)
    const auth = createAuthService({
      db,
      store: sessions,
      events: ctx.events,
      users,
      tokens,
      loginClients: login.clients,
      now,
      refreshIdleTtlSeconds: config.AUTH_REFRESH_IDLE_TTL_SECONDS,
      refreshAbsoluteTtlSeconds: config.AUTH_REFRESH_ABSOLUTE_TTL_SECONDS,
      refreshReuseIntervalSeconds: config.AUTH_REFRESH_REUSE_INTERVAL_SECONDS,
      secondFactor: user => mfa!.challengeFor(user)
    })
    const mfaStore = createMfaStore(db)
    mfa = createMfa({ db, store: mfaStore, events: ctx.events, users, otp, encryptionKey, issuer: config.AUTH_ISSUER, now, startSession: auth.startSession, secondStepPassed: auth.secondStepPassed, smsEnabled: config.SMS_ENABLED })
    app.addSchema(TokenPairSchema)
    app.addSchema(MfaChallengeSchema)
    authRoutes(app, auth, login.routes)
    internalRoutes(app, auth, createRevocationFeed({ store: sessions, now, accessTtlSeconds: config.AUTH_ACCESS_TTL_SECONDS }))
    const phone = createPhoneAuth({ db, events: ctx.events, users, otp, startSession: auth.startSession, cache: ctx.cache, now, smsEnabled: config.SMS_ENABLED })
    phoneRoutes(app, phone)
    mfaRoutes(app, mfa, { reauthMaxAgeSeconds: config.REAUTH_MAX_AGE_SECONDS, now })
    const callerOf = sessionCallerOf(auth)
    const userSessions = createSessions({ db, store: sessions, events: ctx.events, now })
    sessionRoutes(app, userSessions, callerOf)
    adminSessionRoutes(app, userSessions, adminCallerOf(auth))
    reauthRoutes(app, createReauth({ auth, users, otp: createReauthOtpClient(ctx.client('otp')), cache: ctx.cache }), callerOf)
    const rpc = await serveRpc(app, authRpc(phone, auth, users), { grpcPort: config.GRPC_PORT, host: config.HOST, log: ctx.log })
    ctx.onClose(rpc.close)
    jwksRoutes(app, keys)
    await installPasskeys(app, ctx, { auth, mfa, users, login: login.clients })
    await installMagicLinks(app, ctx, { auth, mfa, mfaStore, users, login: login.clients })
    await installOidc(app, ctx, { users, startSession: auth.startSession, secondFactor: user => mfa!.challengeFor(user) })
    await installHosted(app, ctx, { auth, users, callerOf })

    await ctx.consume({
      name: 'phone-login',
      exchange: AUTH_JOBS_EXCHANGE,
      bindings: [PHONE_LOGIN_REQUESTED],
      prepare: event => phone.prepareLoginStart(dataOf(event, PHONE_LOGIN_REQUESTED).phone)
    }, async (event, tx, user) => {
      await phone.completeLoginStart(dataOf(event, PHONE_LOGIN_REQUESTED).phone, user, tx)
    })

    // The otp service's answers to our code requests: kept for support, a warning when a code was not sent.
    const otpResults = createOtpResults()
    await ctx.consume({
      name: 'otp-results',
      exchange: VERIFICATION_EXCHANGE,
      queue: OTP_RESULT_QUEUE,
      bindings: [OTP_RESULT_ROUTING_KEY],
      types: [OTP_REQUEST_COMPLETED],
      prefetch: Math.max(config.BUS_PREFETCH, BATCH_PREFETCH)
    }, async (event, tx) => {
      const result = dataOf(event, OTP_REQUEST_COMPLETED)
      await otpResults.record(result, tx)
      if (result.status !== 'sent') ctx.log.warn({ requestId: result.requestId, purpose: result.purpose, status: result.status }, 'a requested code was not sent')
    })

    await consumeAccountEvents(ctx, { auth, sessions: userSessions, mfa: mfaStore })

    // The password service ends sessions synchronously; this repeats it in case that call was lost.
    await ctx.consume({ name: 'password-changed', bindings: ['password.changed'] }, async (event, tx) => {
      const data = dataOf(event, 'password.changed')
      await auth.revokeSessions(data.userId, { except: data.keepSessionId ?? null, startedBefore: new Date(event.time) }, data.reason ?? 'password_changed', tx)
    })
  }
})
