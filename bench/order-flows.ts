// The time from `POST /orders` to the confirmation landing in the dev inbox, at a steady rate
// (sent with fetch from the bench's own process, not the platform's).
import type { Db } from '@app/kit/db'
import { landedSince, percentile } from './inbox.ts'
import type { LatencyResult } from './inbox.ts'

const ORDER = JSON.stringify({ items: [{ sku: 'TEA-1', quantity: 2, unitPrice: 450 }], currency: 'EUR' })

/** Orders at `perSecond` for `seconds`; each confirmation's landing time minus its order's sending time. */
export async function orderToInbox (gateway: string, accessToken: string, notificationDb: Db, perSecond: number, seconds: number): Promise<LatencyResult> {
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
  // Until every confirmation landed, or 30 s passed.
  let landed = await landedSince(notificationDb, since)
  for (let waited = 0; landed.length < sentAt.size && waited < 30_000; waited += 500) {
    await new Promise(resolve => setTimeout(resolve, 500))
    landed = await landedSince(notificationDb, since)
  }
  const latencies: number[] = []
  for (const m of landed) {
    const id = /[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}/.exec(m.text)?.[0]
    const sent = id === undefined ? undefined : sentAt.get(id)
    if (sent !== undefined) latencies.push(m.createdAt.getTime() - sent)
  }
  return { flow: `order created -> confirmation in the dev inbox, ${perSecond} orders/s`, samples: latencies.length, p50: percentile(latencies, 50), p99: percentile(latencies, 99), missing: count - latencies.length }
}
