import { fileURLToPath } from 'node:url'
import { defineService } from '@app/kit/service'
import { UserConfigSchema } from './config.ts'
import { createPasswordHasher } from './password-hasher.ts'
import { internalRoutes } from './routes/internal.ts'
import { publicRoutes } from './routes/public.ts'
import { UserSchema } from './schemas.ts'
import { createUserService } from './user-service.ts'
import { createUserStore } from './user-store.pg.ts'

export const userService = defineService({
  name: 'user',
  description: 'Registration, profiles, preferences and roles; verifies credentials for the auth service.',
  configSchema: UserConfigSchema,
  migrationsDir: fileURLToPath(new URL('../migrations', import.meta.url)),
  async setup (app, { db, events, config }) {
    const hasher = createPasswordHasher({
      memoryCost: config.USER_ARGON2_MEMORY_KIB,
      timeCost: config.USER_ARGON2_TIME_COST,
      parallelism: config.USER_ARGON2_PARALLELISM
    })
    const users = createUserService({ db, store: createUserStore(db), hasher, events })
    app.addSchema(UserSchema)
    publicRoutes(app, users)
    internalRoutes(app, users)
  }
})
