import pg from 'pg'
import { asOutage } from '../errors/index.ts'
import type { Db, QueryResult, Tx } from './db.ts'
import { quoteIdent, runCommitHooks } from './db.ts'
import { createMutex } from './mutex.ts'

export interface PostgresOptions {
  url: string
  schema: string
  poolSize: number
  /** PgBouncer's transaction mode refuses startup options: the caller sets the schema another way (db.pgbouncer.ts). */
  noStartupSchema?: boolean
}

/** A pool whose connections all use the service's schema. */
export function openPostgres ({ url, schema, poolSize, noStartupSchema = false }: PostgresOptions): Db {
  const pool = new pg.Pool({
    connectionString: url,
    max: poolSize,
    ...(noStartupSchema ? {} : { options: `-c search_path=${quoteIdent(schema)}` }),
    connectionTimeoutMillis: 5000,
    idleTimeoutMillis: 30_000
  })
  // A client losing its connection emits 'error'; without a listener that
  // crashes the process. The pool listens only while a client is idle, so each
  // client gets its own listener for the time it is checked out; the failed
  // query rejects anyway, and the pool replaces the client.
  pool.on('error', () => {})
  pool.on('connect', client => { client.on('error', () => {}) })

  const query = async <R>(sql: string, params?: unknown[]): Promise<QueryResult<R>> => {
    try {
      const res = await pool.query(sql, params as unknown[])
      return { rows: res.rows as R[], rowCount: res.rowCount ?? 0 }
    } catch (err) {
      throw asOutage(err, 'database')
    }
  }

  return {
    kind: 'postgres',
    schema,
    query,
    async exec (sql) { await query(sql) },
    async tx (fn) {
      const client = await pool.connect().catch((err: unknown) => { throw asOutage(err, 'database') })
      const hooks: Array<() => void> = []
      // Batched consumers run several effects in one transaction side by side; pg
      // deprecates queueing a query on a busy client, so they take turns here.
      const serial = createMutex()
      const tx: Tx = {
        async query<R>(sql: string, params?: unknown[]) {
          const res = await serial.run(() => client.query(sql, params as unknown[]))
          return { rows: res.rows as R[], rowCount: res.rowCount ?? 0 }
        },
        async exec (sql: string) { await serial.run(() => client.query(sql)) },
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
        throw asOutage(err, 'database')
      } finally {
        client.release(broken)
      }
    },
    async ping () { await query('select 1') },
    async close () { await pool.end() }
  }
}
