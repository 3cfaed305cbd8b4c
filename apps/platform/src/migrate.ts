import { join } from 'node:path'
import type { Logger } from 'pino'
import { BaseConfigSchema, loadConfig } from '@app/kit/config'
import type { Env } from '@app/kit/config'
import { openPgliteCluster } from '@app/kit/db'
import { openMigratedDb } from '@app/kit/service'
import { loadServices } from './services.ts'

/** Applies every stateful service's migrations (a deploy step; services also migrate on start). */
export async function migrateAll (env: Env, log: Logger): Promise<void> {
  const config = loadConfig(BaseConfigSchema, env)
  const cluster = config.DATABASE_URL ? undefined : await openPgliteCluster(join(config.DATA_DIR, 'pglite'))
  try {
    for (const definition of (await loadServices()).filter(s => !s.stateless)) {
      const { db, applied } = await openMigratedDb(definition, config, cluster, 2)
      log.info({ service: definition.name, applied }, applied.length > 0 ? 'migrated' : 'up to date')
      await db.close()
    }
  } finally {
    await cluster?.close()
  }
}
