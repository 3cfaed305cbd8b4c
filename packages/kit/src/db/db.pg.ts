import pg from 'pg'
import type { Db, QueryResult, Tx } from './db.ts'
import { quoteIdent, runCommitHooks } from './db.ts'

export interface PostgresOptions {
  url: string
  schema: string
  poolSize: number
}

/** A pool whose connections all use the service's schema. */
export function openPostgres ({ url, schema, poolSize }: PostgresOptions): Db {
  const pool = new pg.Pool({
    connectionString: url,
    max: poolSize,
    options: `-c search_path=${quoteIdent(schema)}`,
    connectionTimeoutMillis: 5000,
    idleTimeoutMillis: 30_000
  })
  // An idle client losing its connection must not crash the process; the pool replaces it.
  pool.on('error', () => {})

  const query = async <R>(sql: string, params?: unknown[]): Promise<QueryResult<R>> => {
    const res = await pool.query(sql, params as unknown[])
    return { rows: res.rows as R[], rowCount: res.rowCount ?? 0 }
  }

  return {
    kind: 'postgres',
    schema,
    query,
    async exec (sql) { await pool.query(sql) },
    async tx (fn) {
      const client = await pool.connect()
      const hooks: Array<() => void> = []
      const tx: Tx = {
        async query<R>(sql: string, params?: unknown[]) {
          const res = await client.query(sql, params as unknown[])
          return { rows: res.rows as R[], rowCount: res.rowCount ?? 0 }
        },
        async exec (sql: string) { await client.query(sql) },
        onCommit (hook) { hooks.push(hook) }
      }
      let broken = false
      try {
        await client.query('begin')
        const result = await fn(tx)
        await client.query('commit')
        runCommitHooks(hooks)
        return result
      } catch (err) {
        try { await client.query('rollback') } catch { broken = true }
        throw err
      } finally {
        client.release(broken)
      }
    },
    async ping () { await pool.query('select 1') },
    async close () { await pool.end() }
  }
}
