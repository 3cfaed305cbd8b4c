import { fileURLToPath } from 'node:url'
import { defineService } from '@app/kit/service'
import { createAuthService } from './auth-service.ts'
import { AuthConfigSchema } from './config.ts'
import { keyEncryptionKey } from './key-encryption.ts'
import { createLoginThrottle } from './login-throttle.ts'
import { authRoutes } from './routes/auth.ts'
import { internalRoutes } from './routes/internal.ts'
import { jwksRoutes } from './routes/jwks.ts'
import { TokenPairSchema } from './schemas.ts'
import { createSessionStore } from './session-store.pg.ts'
import { createKeyring, ensureSigningKey } from './signing-keys.ts'
import { createAccessTokens } from './tokens.ts'
import { createUserClient } from './user-client.ts'

export { rotateSigningKeys } from './signing-keys.ts'
export { keyEncryptionKey } from './key-encryption.ts'
export { revokedSessionKey } from './auth-service.ts'

export const authService = defineService({
  name: 'auth',
  description: 'Password login, EdDSA access tokens, rotating refresh tokens, sessions and the JWKS.',
  configSchema: AuthConfigSchema,
  migrationsDir: fileURLToPath(new URL('../migrations', import.meta.url)),
  async setup (app, ctx) {
    const { config, db } = ctx
    const encryptionKey = keyEncryptionKey(config)
    await ensureSigningKey(db, { encryptionKey, now: ctx.now() })
    const keys = createKeyring(db, encryptionKey)
    // Read through ctx on every call: tests replace ctx.now to travel in time.
    const now = () => ctx.now()
    const tokens = createAccessTokens({ keys, issuer: config.AUTH_ISSUER, audience: config.AUTH_AUDIENCE, ttlSeconds: config.AUTH_ACCESS_TTL_SECONDS, now })
    const auth = createAuthService({
      db,
      store: createSessionStore(db),
      cache: ctx.cache,
      events: ctx.events,
      users: createUserClient(ctx.client('user')),
      tokens,
      throttle: createLoginThrottle({ cache: ctx.cache, maxFailures: config.AUTH_MAX_FAILED_LOGINS, windowSeconds: config.AUTH_FAILED_LOGIN_WINDOW_SECONDS }),
      now,
      refreshIdleTtlSeconds: config.AUTH_REFRESH_IDLE_TTL_SECONDS,
      refreshAbsoluteTtlSeconds: config.AUTH_REFRESH_ABSOLUTE_TTL_SECONDS
    })
    app.addSchema(TokenPairSchema)
    authRoutes(app, auth)
    internalRoutes(app, auth)
    jwksRoutes(app, keys)

    // The password service ends sessions synchronously; this repeats it in case that call was lost.
    await ctx.consume({ name: 'password-changed', bindings: ['password.changed'] }, async (event, tx) => {
      const data = event.data as { userId: string, keepSessionId?: string | null, reason?: string }
      await auth.revokeSessions(data.userId, { except: data.keepSessionId ?? null, startedBefore: new Date(event.time) }, data.reason ?? 'password_changed', tx)
    })
  }
})
