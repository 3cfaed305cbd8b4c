import { randomBytes } from 'node:crypto'
import { existsSync, mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs'
import { createRequire } from 'node:module'
import { tmpdir } from 'node:os'
import { dirname, join } from 'node:path'
import { PGlite } from '@electric-sql/pglite'
import type { Db } from '../db/db.ts'
import { quoteIdent } from '../db/db.ts'
import { openPostgres } from '../db/db.pg.ts'
import { openPgliteCluster } from '../db/db.pglite.ts'
import type { PgliteCluster } from '../db/db.pglite.ts'
import { trackLeftover } from './leftovers.ts'

export function uniqueName (prefix: string): string {
  return `${prefix}_${Date.now().toString(36)}_${randomBytes(4).toString('hex')}`
}

// The package's `exports` hide its package.json; read it next to the resolved entry (dist/..).
const pgliteEntry = createRequire(import.meta.url).resolve('@electric-sql/pglite')
const pgliteVersion = (JSON.parse(readFileSync(join(dirname(pgliteEntry), '..', 'package.json'), 'utf8')) as { version: string }).version

/**
 * A freshly initialised PGlite data directory, as a tarball cached in the temp
 * dir: loading it takes under a second where initdb takes several.
 */
async function pgliteTemplate (): Promise<Blob> {
  const dir = join(tmpdir(), 'gatehouse-test')
  const file = join(dir, `pglite-${pgliteVersion}.tar`)
  if (!existsSync(file)) {
    mkdirSync(dir, { recursive: true })
    const pg = await PGlite.create()
    const dump = await pg.dumpDataDir('none')
    await pg.close()
    const partial = `${file}.${process.pid}.partial`
    writeFileSync(partial, Buffer.from(await dump.arrayBuffer()))
    renameSync(partial, file)
  }
  return new Blob([readFileSync(file)])
}

/** An in-memory embedded cluster for one test file. */
export async function openTestCluster (): Promise<PgliteCluster> {
  return openPgliteCluster(undefined, await pgliteTemplate())
}

export interface TestDb {
  db: Db
  /** Drops the schema (PostgreSQL) and closes the connection. */
  cleanup(): Promise<void>
}

/**
 * A database for a test: a fresh schema on PostgreSQL when `DATABASE_URL` is
 * set (as in CI), otherwise a schema in the given (or a new) embedded cluster.
 */
export async function openTestDb (name = 'test', cluster?: PgliteCluster): Promise<TestDb> {
  const schema = uniqueName(`t_${name.replace(/[^a-z0-9_]/g, '_')}`)
  const url = process.env.DATABASE_URL
  if (url) {
    // Recorded before anything can create it: a caller that fails before it has the
    // handle (a migration that throws) or never cleans up leaves it to the sweep at exit.
    const forget = trackLeftover(`schema ${schema}`, () => dropSchemas(url, [schema]))
    const db = openPostgres({ url, schema, poolSize: 5 })
    return {
      db,
      async cleanup () {
        try {
          await db.query(`drop schema if exists ${quoteIdent(schema)} cascade`)
          forget()
        } finally {
          await db.close()
        }
      }
    }
  }
  const own = cluster ? undefined : await openTestCluster()
  const db = (cluster ?? own!).forSchema(schema)
  return { db, async cleanup () { await db.close(); await own?.close() } }
}

/** Drops schemas on a connection of its own: the test's pool may be closed, or the one that failed. */
export async function dropSchemas (url: string, schemas: Iterable<string>): Promise<void> {
  const admin = openPostgres({ url, schema: 'public', poolSize: 1 })
  try {
    for (const schema of schemas) await admin.query(`drop schema if exists ${quoteIdent(schema)} cascade`)
  } finally {
    await admin.close()
  }
}

/** Drops every schema whose name starts with `prefix`: what services started on one set of test backends made. */
export async function dropSchemasByPrefix (url: string, prefix: string): Promise<void> {
  const admin = openPostgres({ url, schema: 'public', poolSize: 1 })
  try {
    const { rows } = await admin.query<{ nspname: string }>(
      'select nspname from pg_namespace where starts_with(nspname, $1)', [prefix])
    for (const { nspname } of rows) await admin.query(`drop schema if exists ${quoteIdent(nspname)} cascade`)
  } finally {
    await admin.close()
  }
}
