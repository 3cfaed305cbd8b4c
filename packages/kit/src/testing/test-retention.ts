import type { TObject } from '@sinclair/typebox'
import type { Env } from '../config/index.ts'
import { createRetentionJob, migrate, KIT_MIGRATIONS } from '../db/index.ts'
import type { Db } from '../db/index.ts'
import { loadServiceConfig } from '../service/service-config.ts'
import type { ServiceDefinition } from '../service/define-service.ts'
import { openTestDb } from './test-db.ts'

export interface RetentionTestDb {
  db: Db
  /** Runs the service's retention rules (with `env` over the defaults) as of `now`; returns the rows removed per rule. */
  retain(now: Date, env?: Env): Promise<Record<string, number>>
  cleanup(): Promise<void>
}

/** The service's migrated schema, without the service: a test writes rows with chosen timestamps, then runs its retention rules. */
export async function openRetentionTestDb (definition: ServiceDefinition<TObject>, batchSize = 3): Promise<RetentionTestDb> {
  const { db, cleanup } = await openTestDb(definition.name)
  try {
    await migrate(db, [KIT_MIGRATIONS, { scope: definition.name, dir: definition.migrationsDir! }])
  } catch (err) {
    // The caller never gets the handle: the half-migrated schema goes now.
    await cleanup().catch(() => {})
    throw err
  }
  return {
    db,
    cleanup,
    retain (now, env = {}) {
      const config = loadServiceConfig(definition, { NODE_ENV: 'test', SERVICE_SECRET: 'test-service-secret-0123456789abcdef', ...env })
      const rules = definition.retention?.(config) ?? []
      return createRetentionJob({ db, rules, now: () => now, intervalMs: 60_000, batchSize }).runOnce()
    }
  }
}
