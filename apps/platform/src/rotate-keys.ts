import { join } from 'node:path'
import type { Logger } from 'pino'
import type { Env } from '@app/kit/config'
import { openPgliteCluster } from '@app/kit/db'
import { loadServiceConfig, openMigratedDb } from '@app/kit/service'
import type { ServiceDefinition } from '@app/kit/service'
import { authService, keyEncryptionKey, rotateSigningKeys } from '@app/auth'

/** Adds a new signing key to the auth schema; running instances sign with it from their next token on. */
export async function rotateKeys (env: Env, log: Logger): Promise<void> {
  const config = loadServiceConfig(authService, env)
  const encryptionKey = keyEncryptionKey(config)
  const cluster = config.DATABASE_URL ? undefined : await openPgliteCluster(join(config.DATA_DIR, 'pglite'))
  try {
    const { db } = await openMigratedDb(authService as unknown as ServiceDefinition, config, cluster, 2)
    try {
      const kid = await rotateSigningKeys(db, { encryptionKey })
      log.info({ kid }, 'signing key rotated')
    } finally {
      await db.close()
    }
  } finally {
    await cluster?.close()
  }
}
