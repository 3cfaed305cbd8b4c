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
    const db = openPostgres({ url, schema, poolSize: 5 })
    return {
      db,
      async cleanup () {
        await db.query(`drop schema if exists ${quoteIdent(schema)} cascade`)
        await db.close()
      }
    }
  }
  const own = cluster ? undefined : await openTestCluster()
  const db = (cluster ?? own!).forSchema(schema)
  return { db, async cleanup () { await db.close(); await own?.close() } }
}
