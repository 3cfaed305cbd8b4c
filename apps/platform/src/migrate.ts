import { join } from 'node:path'
import type { Logger } from 'pino'
import { BaseConfigSchema, loadConfig } from '@app/kit/config'
import type { Env } from '@app/kit/config'
import { KIT_MIGRATIONS, migrate, openDb, openPgliteCluster } from '@app/kit/db'
import type { MigrationSource } from '@app/kit/db'
import { schemaName } from '@app/kit/service'
import { SERVICES } from './services.ts'

/** Applies every stateful service's migrations (a deploy step; services also migrate on start). */
export async function migrateAll (env: Env, log: Logger): Promise<void> {
  const config = loadConfig(BaseConfigSchema, env)
  const cluster = config.DATABASE_URL ? undefined : await openPgliteCluster(join(config.DATA_DIR, 'pglite'))
  try {
    for (const definition of SERVICES.filter(s => !s.stateless)) {
      const db = await openDb({ databaseUrl: config.DATABASE_URL, schema: schemaName(config, definition.name), poolSize: 2, dataDir: config.DATA_DIR, cluster })
      const sources: MigrationSource[] = [KIT_MIGRATIONS]
      if (definition.migrationsDir) sources.push({ scope: definition.name, dir: definition.migrationsDir })
      const applied = await migrate(db, sources)
      log.info({ service: definition.name, applied }, applied.length > 0 ? 'migrated' : 'up to date')
      await db.close()
    }
  } finally {
    await cluster?.close()
  }
}
