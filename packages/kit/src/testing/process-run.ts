import { schemaName } from '../service/service-db.ts'
import { trackLeftover } from './leftovers.ts'
import { deleteCacheKeys } from './test-cache.ts'
import { dropSchemas, dropSchemasByPrefix } from './test-db.ts'
import { TEST_SERVICE_SECRET } from './test-service.ts'

/**
 * The environment of services run as separate processes on the real servers
 * by a test: one fresh schema, cache and bus prefix for the whole run, cheap
 * password hashing, and the test service secret.
 */
export function processRunEnv (prefix: string): Record<string, string | undefined> {
  track(prefix)
  return {
    ...process.env,
    NODE_ENV: 'test',
    LOG_LEVEL: 'warn',
    REQUIRE_EXTERNAL_BACKENDS: 'true',
    SERVICE_SECRET: TEST_SERVICE_SECRET,
    DB_SCHEMA_PREFIX: `${prefix}_`,
    CACHE_PREFIX: `${prefix}:`,
    BUS_PREFIX: `${prefix}.`,
    USER_ARGON2_MEMORY_KIB: '1024',
    USER_ARGON2_TIME_COST: '1'
  }
}

/** Drops the schemas of `services` under the run's prefix and deletes its cache keys (once its processes stopped). */
export async function removeProcessRun (prefix: string, services: Iterable<string>, databaseUrl: string, redisUrl: string): Promise<void> {
  await dropSchemas(databaseUrl, [...services].map(name => schemaName(`${prefix}_`, name)))
  await deleteCacheKeys(redisUrl, `${prefix}:`)
  tracked.get(prefix)?.()
  tracked.delete(prefix)
}

const tracked = new Map<string, () => void>()

/**
 * What the run's processes will make under the prefix, recorded before they start: a test
 * that fails or runs out of time before `removeProcessRun` leaves it to the sweep at exit.
 */
function track (prefix: string): void {
  const { DATABASE_URL: databaseUrl, REDIS_URL: redisUrl } = process.env
  if (tracked.has(prefix) || (!databaseUrl && !redisUrl)) return
  tracked.set(prefix, trackLeftover(`schemas ${prefix}_* and Redis keys ${prefix}:*`, async () => {
    if (databaseUrl) await dropSchemasByPrefix(databaseUrl, `${prefix}_`)
    if (redisUrl) await deleteCacheKeys(redisUrl, `${prefix}:`)
  }))
}
