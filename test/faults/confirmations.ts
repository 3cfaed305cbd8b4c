import { openPostgres, quoteIdent } from '@app/kit/db'
import { waitFor } from '@app/kit/testing'
import type { SunkMail } from './smtp-sink-process.ts'

const ORDER_ID = /order ([0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12})/i
const SETTLE_TIMEOUT_MS = 120_000

export interface ConfirmationReport {
  /** Acknowledged orders whose confirmation never reached the SMTP server. */
  missing: string[]
  /** Acknowledged orders confirmed more than once: id and count. */
  duplicated: Array<[string, number]>
  /** What the notification and order services still hold, to explain a missing one. */
  diagnostics: string[]
}

/** Order confirmations received by the SMTP sink, by the order id each names. */
export function countConfirmations (mails: SunkMail[]): Map<string, number> {
  const counts = new Map<string, number>()
  for (const mail of mails) {
    const id = ORDER_ID.exec(mail.text)?.[1]
    if (id) counts.set(id, (counts.get(id) ?? 0) + 1)
  }
  return counts
}

/**
 * Waits until every acknowledged order has a confirmation at the SMTP sink and the
 * notification service holds no unsent confirmation (so none can still arrive),
 * then counts each order's confirmations.
 */
export async function checkConfirmations (mails: SunkMail[], orderIds: string[], databaseUrl: string, schemaPrefix: string): Promise<ConfirmationReport> {
  const db = openPostgres({ url: databaseUrl, schema: 'public', poolSize: 1 })
  const deliveries = `${quoteIdent(`${schemaPrefix}_notification`)}.deliveries`
  const outbox = `${quoteIdent(`${schemaPrefix}_order`)}.outbox`
  try {
    const unsent = async () => Number((await db.query<{ n: string }>(
      `select count(*) as n from ${deliveries} where template = 'order_confirmation' and status in ('queued', 'sending', 'failed')`)).rows[0]!.n)
    await waitFor(async () => {
      const counts = countConfirmations(mails)
      return orderIds.every(id => counts.has(id)) && await unsent() === 0
    }, SETTLE_TIMEOUT_MS, 500).catch(() => undefined)
    const counts = countConfirmations(mails)
    const missing = orderIds.filter(id => !counts.has(id))
    const duplicated = orderIds.filter(id => (counts.get(id) ?? 0) > 1).map(id => [id, counts.get(id)!] as [string, number])
    const diagnostics: string[] = []
    if (missing.length > 0) {
      const statuses = await db.query<{ status: string, n: string, last_error: string | null }>(
        `select status, count(*) as n, max(last_error) as last_error from ${deliveries} where template = 'order_confirmation' group by status`)
      diagnostics.push(`notification deliveries of order confirmations: ${JSON.stringify(statuses.rows)}`)
      const pending = await db.query<{ status: string, n: string, last_error: string | null }>(
        `select status, count(*) as n, max(last_error) as last_error from ${outbox} where type = 'order.created' group by status`)
      diagnostics.push(`order outbox (order.created): ${JSON.stringify(pending.rows)}`)
      const known = await db.query<{ order_id: string, status: string, attempts: number, last_error: string | null }>(
        `select variables->>'orderId' as order_id, status, attempts, last_error from ${deliveries} where variables->>'orderId' = any($1)`, [missing])
      diagnostics.push(`deliveries of the missing ones: ${known.rows.length} rows ${JSON.stringify(known.rows.slice(0, 5))}`)
    }
    return { missing, duplicated, diagnostics }
  } finally {
    await db.close()
  }
}
