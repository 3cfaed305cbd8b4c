import type { Db, Tx } from './db.ts'
import { quoteIdent } from './db.ts'
import { openPostgres } from './db.pg.ts'
import type { PostgresOptions } from './db.pg.ts'

/** The entries of a `search_path` setting, unquoted: `"user", public` is ['user', 'public']. */
export function searchPathEntries (setting: string): string[] {
  return setting.split(',').map(entry => entry.trim().replace(/^"(.*)"$/, '$1')).filter(Boolean)
}

/** Whether the server connections start in `schema` by themselves (ALTER ROLE/DATABASE ... SET search_path, or PgBouncer's connect_query). */
export async function connectionsStartIn (db: Db, schema: string): Promise<boolean> {
  const { rows } = await db.query<{ path: string }>("select current_setting('search_path') as path")
  const entries = searchPathEntries(rows[0]?.path ?? '')
  return entries.length === 1 && entries[0] === schema
}

/**
 * Every statement in a transaction that begins with `set local search_path`:
 * a setting that ends with the transaction, so nothing is left on a server
 * connection PgBouncer hands to another client, and nothing another client
 * left there applies. A single statement costs begin, set, statement, commit.
 */
export function schemaPerTransaction (db: Db): Db {
  const setLocal = `set local search_path to ${quoteIdent(db.schema)}`
  const tx = <T>(fn: (tx: Tx) => Promise<T>): Promise<T> => db.tx(async (t) => {
    await t.exec(setLocal)
    return fn(t)
  })
  return {
    ...db,
    tx,
    query: (sql, params) => tx(t => t.query(sql, params)),
    exec: sql => tx(t => t.exec(sql))
  }
}

/**
 * A pool for PgBouncer in transaction mode, which refuses the search_path
 * startup option. When the connections already start in the service's schema,
 * statements run as they are; otherwise each gets its own transaction.
 */
export async function openPgbouncer (options: Omit<PostgresOptions, 'noStartupSchema'>): Promise<Db> {
  const db = openPostgres({ ...options, noStartupSchema: true })
  try {
    return await connectionsStartIn(db, options.schema) ? db : schemaPerTransaction(db)
  } catch (err) {
    await db.close().catch(() => {})
    throw err
  }
}
