import { mkdirSync } from 'node:fs'
import { PGlite } from '@electric-sql/pglite'
import type { PGliteOptions } from '@electric-sql/pglite'
import type { Db, QueryResult, Tx } from './db.ts'
import { quoteIdent, runCommitHooks } from './db.ts'
import { createMutex } from './mutex.ts'

/**
 * One embedded PostgreSQL shared by every service of the process. PGlite is a
 * single session, so each statement (or transaction) takes the lock, switches
 * `search_path` to its service's schema when another service used it last, and runs.
 */
export interface PgliteCluster {
  forSchema(schema: string): Db
  close(): Promise<void>
}

/** int8 and numeric as strings, as node-postgres returns them, so both adapters agree. */
const AS_TEXT = { 20: (v: string) => v, 1700: (v: string) => v }

/** `template`: a data-directory tarball to start from instead of running initdb (tests). */
export async function openPgliteCluster (dataDir?: string, template?: Blob): Promise<PgliteCluster> {
  if (dataDir) mkdirSync(dataDir, { recursive: true })
  // Small buffers: the all-in-one process has a memory budget; PGlite defaults to 128MB.
  const pg = await PGlite.create(dataDir, {
    parsers: AS_TEXT,
    ...(template ? { loadDataDir: template } : {}),
    postgresqlconf: ['shared_buffers=16MB', 'work_mem=4MB', 'maintenance_work_mem=16MB']
  } as PGliteOptions)
  const lock = createMutex()
  let current = ''

  const useSchema = async (schema: string) => {
    if (current === schema) return
    await pg.query(`set search_path to ${quoteIdent(schema)}`)
    current = schema
  }

  const forSchema = (schema: string): Db => {
    const query = <R>(sql: string, params?: unknown[]): Promise<QueryResult<R>> => lock.run(async () => {
      await useSchema(schema)
      const res = await pg.query<R>(sql, params)
      // PGlite reports affectedRows 0 for a select; node-postgres counts the rows returned.
      return { rows: res.rows, rowCount: res.affectedRows || res.rows.length }
    })
    return {
      kind: 'pglite',
      schema,
      query,
      exec: (sql) => lock.run(async () => { await useSchema(schema); await pg.exec(sql) }),
      tx: <T>(fn: (tx: Tx) => Promise<T>) => lock.run(async () => {
        await useSchema(schema)
        const hooks: Array<() => void> = []
        const result = await pg.transaction(async (t) => fn({
          async query<R>(sql: string, params?: unknown[]) {
            const res = await t.query<R>(sql, params)
            return { rows: res.rows, rowCount: res.affectedRows || res.rows.length }
          },
          async exec (sql: string) { await t.exec(sql) },
          onCommit (hook) { hooks.push(hook) }
        }))
        runCommitHooks(hooks)
        return result
      }),
      async ping () { await query('select 1') },
      // The cluster belongs to whoever opened it (the launcher, a test); a service only lets go of its view.
      async close () {}
    }
  }

  return {
    forSchema,
    async close () { if (!pg.closed) await lock.run(() => pg.close()) }
  }
}
