import { context, trace } from '@opentelemetry/api'
import type { Db, Tx } from '../db/db.ts'
import { SpanKind } from './tracing.ts'
import type { Tracing } from './tracing.ts'

const MAX_STATEMENT = 2000

/** `SELECT`, `INSERT`, `WITH`...: the statement's first word, a low-cardinality span name. */
function operationOf (sql: string): string {
  const match = /^\s*([A-Za-z]+)/.exec(sql)
  return match ? match[1]!.toUpperCase() : 'SQL'
}

/**
 * A Db whose statements and transactions are client spans. The statement
 * text is parameterised (values travel as `$n` parameters), so it holds no
 * user data; parameters are never recorded. Only work inside a trace (a
 * request, a consumer) gets spans: the relay's and jobs' polls stay out.
 * Tracing off: the Db itself.
 */
export function tracedDb (db: Db, tracing: Tracing): Db {
  if (!tracing.enabled) return db
  const client = db.kind === 'pglite' ? 'pglite' : 'pg'
  const attributes = (sql: string) => ({
    'db.system.name': 'postgresql',
    'db.namespace': db.schema,
    'db.client': client,
    'db.operation.name': operationOf(sql),
    'db.query.text': sql.length > MAX_STATEMENT ? sql.slice(0, MAX_STATEMENT) : sql
  })
  const statement = <T>(sql: string, run: () => Promise<T>) => trace.getSpan(context.active())
    ? tracing.span(`db ${operationOf(sql)}`, { kind: SpanKind.CLIENT, attributes: attributes(sql) }, run)
    : run()
  const txAttributes = { 'db.system.name': 'postgresql', 'db.namespace': db.schema, 'db.client': client }

  const tracedTx = (tx: Tx): Tx => ({
    query: (sql, params) => statement(sql, () => tx.query(sql, params)),
    exec: sql => statement(sql, () => tx.exec(sql)),
    onCommit: hook => tx.onCommit(hook)
  })

  return {
    kind: db.kind,
    schema: db.schema,
    query: (sql, params) => statement(sql, () => db.query(sql, params)),
    exec: sql => statement(sql, () => db.exec(sql)),
    tx: fn => trace.getSpan(context.active())
      ? tracing.span('db transaction', { kind: SpanKind.CLIENT, attributes: txAttributes }, () => db.tx(tx => fn(tracedTx(tx))))
      : db.tx(tx => fn(tracedTx(tx))),
    ping: () => db.ping(),
    close: () => db.close()
  }
}
