// The time from `POST /orders` to the confirmation landing in the dev inbox, at a steady rate
// (sent with fetch from the bench's own process, not the platform's). Start it on a drained
// pipeline: a backlog of earlier orders would delay these.
import type { Db } from '@app/kit/db'
import { landedSince, percentile } from './inbox.ts'
import type { LatencyResult } from './inbox.ts'

const ORDER = JSON.stringify({ items: [{ sku: 'TEA-1', quantity: 2, unitPrice: 450 }], currency: 'EUR' })
const ORDER_ID = /[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}/

/**
 * Orders at `perSecond` for `seconds`; for each, its confirmation's landing time minus its
 * sending time. Only the confirmations of these orders count (by the order id their text
 * carries, sent to `buyerEmail`): earlier orders' messages that land meanwhile neither end the
 * wait nor enter the percentiles.
 */
export async function orderToInbox (gateway: string, accessToken: string, buyerEmail: string, notificationDb: Db, perSecond: number, seconds: number): Promise<LatencyResult> {
  // The platform's clock stamps the inbox rows: a second's slack, the order ids do the rest.
  const since = new Date(Date.now() - 1000)
  const sentAt = new Map<string, number>()
  const count = perSecond * seconds
  const start = Date.now()
  await Promise.all(Array.from({ length: count }, async (_, i) => {
    await new Promise(resolve => setTimeout(resolve, Math.max(0, start + (i * 1000) / perSecond - Date.now())))
    const sent = Date.now()
    const res = await fetch(`${gateway}/api/v1/orders`, { method: 'POST', headers: { 'content-type': 'application/json', authorization: `Bearer ${accessToken}` }, body: ORDER })
    if (res.status === 201) sentAt.set(((await res.json()) as { id: string }).id, sent)
  }))
  /** Landing time minus sending time, by order id, for this run's orders that landed so far. */
  const confirmed = async () => {
    const latencies = new Map<string, number>()
    for (const m of await landedSince(notificationDb, since, buyerEmail)) {
      const id = ORDER_ID.exec(m.text)?.[0]
      const sent = id === undefined ? undefined : sentAt.get(id)
      if (id === undefined || sent === undefined) continue
      // Should an order be confirmed twice, its first copy is when it landed.
      const ms = m.createdAt.getTime() - sent
      if (!latencies.has(id) || ms < latencies.get(id)!) latencies.set(id, ms)
    }
    return latencies
  }
  // Until every order sent has its confirmation, or 30 s passed.
  let landed = await confirmed()
  for (let waited = 0; landed.size < sentAt.size && waited < 30_000; waited += 250) {
    await new Promise(resolve => setTimeout(resolve, 250))
    landed = await confirmed()
  }
  const latencies = [...landed.values()]
  return { flow: `order created -> confirmation in the dev inbox, ${perSecond} orders/s`, samples: latencies.length, p50: percentile(latencies, 50), p99: percentile(latencies, 99), missing: count - latencies.length }
}
