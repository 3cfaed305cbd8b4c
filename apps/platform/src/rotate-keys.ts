import { join } from 'node:path'
import type { Logger } from 'pino'
import type { Env } from '@app/kit/config'
import { KIT_MIGRATIONS, migrate, openDb, openPgliteCluster } from '@app/kit/db'
import { loadServiceConfig, schemaName } from '@app/kit/service'
import { authService, keyEncryptionKey, rotateSigningKeys } from '@app/auth'

/** Adds a new signing key to the auth schema; running instances sign with it from their next token on. */
export async function rotateKeys (env: Env, log: Logger): Promise<void> {
  const config = loadServiceConfig(authService, env)
  const encryptionKey = keyEncryptionKey(config)
  const cluster = config.DATABASE_URL ? undefined : await openPgliteCluster(join(config.DATA_DIR, 'pglite'))
  try {
    const db = await openDb({ databaseUrl: config.DATABASE_URL, schema: schemaName(config, authService.name), poolSize: 2, dataDir: config.DATA_DIR, cluster })
    try {
      await migrate(db, [KIT_MIGRATIONS, { scope: authService.name, dir: authService.migrationsDir! }])
      const kid = await rotateSigningKeys(db, { encryptionKey })
      log.info({ kid }, 'signing key rotated')
    } finally {
      await db.close()
    }
  } finally {
    await cluster?.close()
  }
}
