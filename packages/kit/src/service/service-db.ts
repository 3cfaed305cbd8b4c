import type { TObject } from '@sinclair/typebox'
import type { Logger } from 'pino'
import type { BaseConfig } from '../config/index.ts'
import { migrate, openDb, poolSize as budgetedPoolSize, KIT_MIGRATIONS } from '../db/index.ts'
import type { Db, MigrationSource, PgliteCluster } from '../db/index.ts'
import type { ServiceDefinition } from './define-service.ts'
import { retryAtStartup } from './startup-retry.ts'

/** A service's schema: `prefix` (DB_SCHEMA_PREFIX), then its name with - as _. */
export function schemaName (prefix: string, service: string): string {
  return `${prefix}${service.replace(/-/g, '_')}`
}

/** DB_POOL_SIZE, or the service's share of DB_CONNECTION_BUDGET over SERVICE_INSTANCES (docs/config.md). */
export function servicePoolSize (service: string, config: BaseConfig): number {
  return budgetedPoolSize({ service, budget: config.DB_CONNECTION_BUDGET, instances: config.SERVICE_INSTANCES, explicit: config.DB_POOL_SIZE })
}

/** The service's own schema, opened and migrated (kit tables first, then the service's files); also used by the CLI. */
export async function openMigratedDb (definition: ServiceDefinition<TObject>, config: BaseConfig, cluster?: PgliteCluster, poolSize = servicePoolSize(definition.name, config)): Promise<{ db: Db, applied: string[] }> {
  const db = await openDb({
    databaseUrl: config.DATABASE_URL,
    schema: schemaName(config.DB_SCHEMA_PREFIX, definition.name),
    poolSize,
    pgbouncer: config.DB_PGBOUNCER,
    dataDir: config.DATA_DIR,
    cluster
  })
  const sources: MigrationSource[] = [KIT_MIGRATIONS]
  if (definition.migrationsDir) sources.push({ scope: definition.name, dir: definition.migrationsDir })
  try {
    return { db, applied: await migrate(db, sources) }
  } catch (err) {
    await db.close().catch(() => {})
    throw err
  }
}

/** `openMigratedDb` at start-up: retried while the database is away, up to STARTUP_BACKEND_WAIT_MS. */
export async function openServiceDb (definition: ServiceDefinition<TObject>, config: BaseConfig, cluster: PgliteCluster | undefined, log: Logger): Promise<Db> {
  const { db, applied } = await retryAtStartup(() => openMigratedDb(definition, config, cluster), {
    what: 'opening and migrating the database', deadlineMs: config.STARTUP_BACKEND_WAIT_MS, log
  })
  if (applied.length > 0) log.info({ applied }, 'migrations applied')
  return db
}
