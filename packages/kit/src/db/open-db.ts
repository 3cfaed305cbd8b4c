import { join } from 'node:path'
import type { Db } from './db.ts'
import { openPostgres } from './db.pg.ts'
import { openPgbouncer } from './db.pgbouncer.ts'
import { openPgliteCluster } from './db.pglite.ts'
import type { PgliteCluster } from './db.pglite.ts'

export interface OpenDbOptions {
  databaseUrl?: string | undefined
  schema: string
  poolSize: number
  /** PgBouncer in transaction mode is in front of PostgreSQL (db.pgbouncer.ts). */
  pgbouncer?: boolean | undefined
  dataDir: string
  /** An embedded cluster already opened by the launcher, shared by every service of the process. */
  cluster?: PgliteCluster | undefined
}

/** PostgreSQL when a URL is configured, otherwise embedded PGlite under `<dataDir>/<schema>`. */
export async function openDb (options: OpenDbOptions): Promise<Db> {
  if (options.databaseUrl) {
    const pool = { url: options.databaseUrl, schema: options.schema, poolSize: options.poolSize }
    return options.pgbouncer ? openPgbouncer(pool) : openPostgres(pool)
  }
  const cluster = options.cluster ?? await openPgliteCluster(join(options.dataDir, options.schema))
  const db = options.cluster ? cluster.forSchema(options.schema) : ownCluster(cluster, options.schema)
  return db
}

function ownCluster (cluster: PgliteCluster, schema: string): Db {
  const db = cluster.forSchema(schema)
  return { ...db, async close () { await db.close(); await cluster.close() } }
}
