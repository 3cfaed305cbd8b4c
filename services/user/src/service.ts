import { fileURLToPath } from 'node:url'
import { defineService } from '@app/kit/service'
import { ensureConfiguredAdmin } from './admin.ts'
import { createAdminService } from './admin-service.ts'
import { UserConfigSchema } from './config.ts'
import { createOrderCounter } from './order-count.ts'
import type { OrderCreatedEvent } from './order-count.ts'
import { createPasswordHasher, hashParams } from './password-hasher.ts'
import { createPreferencesService } from './preferences-service.ts'
import { createPreferencesStore } from './preferences-store.pg.ts'
import { createProfileService } from './profile-service.ts'
import { internalRoutes } from './routes/internal.ts'
import { meRoutes } from './routes/me.ts'
import { publicRoutes } from './routes/public.ts'
import { userRoutes } from './routes/users.ts'
import { UserSchema } from './schemas.ts'
import { createUserService } from './user-service.ts'
import { createUserStore } from './user-store.pg.ts'

export const userService = defineService({
  name: 'user',
  description: 'Registration, profiles, preferences and roles; verifies credentials for the auth service.',
  configSchema: UserConfigSchema,
  migrationsDir: fileURLToPath(new URL('../migrations', import.meta.url)),
  async setup (app, { db, events, config, log, consume }) {
    const hasher = createPasswordHasher(hashParams(config))
    const store = createUserStore(db)
    const users = createUserService({ db, store, hasher, events })
    const profiles = createProfileService({ db, store, events })
    const preferences = createPreferencesService({ db, users: store, preferences: createPreferencesStore(db), events })
    await ensureConfiguredAdmin({ db, hasher, events }, config, log)
    app.addSchema(UserSchema)
    publicRoutes(app, users)
    meRoutes(app, profiles, preferences)
    userRoutes(app, profiles, createAdminService({ db, store, events }))
    const orderCounts = createOrderCounter(db)
    internalRoutes(app, users, preferences, orderCounts)

    await consume({ name: 'order-count', bindings: ['order.created'] }, async (event, tx) => {
      await orderCounts.countOrder((event.data as OrderCreatedEvent).userId, tx)
    })
  }
})
