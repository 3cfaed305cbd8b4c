// The bench's own view of one Gatehouse deployment's database: how much of the pipeline is
// still pending, and what the dev inbox received.
import { openPostgres, quoteIdent } from '@app/kit/db'
import type { Db } from '@app/kit/db'

export interface GatehouseDb {
  /** The notification schema: the dev inbox (inbox.ts reads it). */
  notification: Db
  /** Unsent outbox rows of every service plus deliveries not yet done. */
  backlog(): Promise<number>
  /** Waits until the backlog stays at 0; the time that took in ms. */
  drain(limitMs?: number): Promise<number>
  close(): Promise<void>
}

export async function openGatehouseDb (url: string, prefix: string): Promise<GatehouseDb> {
  const notification = openPostgres({ url, schema: `${prefix}_notification`, poolSize: 2 })
  const { rows } = await notification.query<{ schema: string, table: string }>(
    "select table_schema as schema, table_name as table from information_schema.tables where table_schema like $1 and table_name in ('outbox', 'deliveries')",
    [`${prefix}\\_%`])
  const counts = rows.map(r => r.table === 'outbox'
    ? `(select count(*) from ${quoteIdent(r.schema)}.outbox where status = 'queued')`
    : `(select count(*) from ${quoteIdent(r.schema)}.deliveries where status in ('queued', 'sending', 'failed'))`)
  const sql = `select ${counts.length ? counts.join(' + ') : '0'} as n`
  const backlog = async () => Number((await notification.query<{ n: string }>(sql)).rows[0]!.n)
  return {
    notification,
    backlog,
    async drain (limitMs = 180_000) {
      const started = Date.now()
      // Twice empty, 100 ms apart: a consumer may be between taking a message and writing its delivery.
      let empty = 0
      while (empty < 2 && Date.now() - started < limitMs) {
        empty = await backlog() === 0 ? empty + 1 : 0
        if (empty < 2) await new Promise(resolve => setTimeout(resolve, 100))
      }
      return Date.now() - started - 100
    },
    close: () => notification.close()
  }
}
