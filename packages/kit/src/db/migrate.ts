import { readdir, readFile } from 'node:fs/promises'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import type { Db } from './db.ts'
import { quoteIdent } from './db.ts'

export interface MigrationSource {
  /** Recorded with each file name, so kit and service migrations never collide. */
  scope: string
  dir: string
}

/** Tables every service gets: the outbox and the processed-events inbox. */
export const KIT_MIGRATIONS: MigrationSource = {
  scope: 'kit',
  dir: fileURLToPath(new URL('../../migrations', import.meta.url))
}

const FILE_PATTERN = /^\d{4}_[a-z0-9_]+\.sql$/

async function listFiles (source: MigrationSource) {
  const names = (await readdir(source.dir)).filter(name => FILE_PATTERN.test(name)).sort()
  return Promise.all(names.map(async name => ({
    id: `${source.scope}/${name}`,
    sql: await readFile(join(source.dir, name), 'utf8')
  })))
}

/**
 * Applies pending `NNNN_name.sql` files in order, all in one transaction, and
 * records them in `schema_migrations`. A transaction-scoped advisory lock keyed
 * by the schema makes a second instance starting at the same moment wait, then
 * find nothing left to do.
 */
export async function migrate (db: Db, sources: MigrationSource[]): Promise<string[]> {
  const files = (await Promise.all(sources.map(listFiles))).flat()
  const schema = quoteIdent(db.schema)
  return db.tx(async (tx) => {
    await tx.query('select pg_advisory_xact_lock(hashtext($1))', [`migrate:${db.schema}`])
    await tx.query(`create schema if not exists ${schema}`)
    await tx.query(`create table if not exists ${schema}.schema_migrations (
      id text primary key,
      applied_at timestamptz not null default now()
    )`)
    const done = await tx.query<{ id: string }>(`select id from ${schema}.schema_migrations`)
    const applied = new Set(done.rows.map(r => r.id))
    const pending = files.filter(f => !applied.has(f.id))
    for (const file of pending) {
      await tx.query(`set local search_path to ${schema}`)
      await tx.exec(file.sql)
      await tx.query(`insert into ${schema}.schema_migrations (id) values ($1)`, [file.id])
    }
    return pending.map(f => f.id)
  })
}
