import { login } from './accounts.ts'
import type { Account } from './accounts.ts'
import type { GatewayClient } from './gateway-client.ts'
import type { AcknowledgedOrder, Buyer } from './load.ts'

const CONCURRENCY = 6

/** Runs `check` over `items`, a few at a time, and returns the problems it reports. */
async function checkAll<T> (items: T[], check: (item: T) => Promise<string | undefined>): Promise<string[]> {
  const problems: string[] = []
  let next = 0
  await Promise.all(Array.from({ length: CONCURRENCY }, async () => {
    while (next < items.length) {
      const problem = await check(items[next++]!)
      if (problem) problems.push(problem)
    }
  }))
  return problems
}

/** Every order answered 201 can be read back by its buyer. */
export async function missingOrders (client: GatewayClient, orders: AcknowledgedOrder[], buyers: Buyer[]): Promise<string[]> {
  // Fresh tokens: the load's may be near the end of their life.
  const tokens = new Map<Buyer, string>()
  for (const buyer of buyers) tokens.set(buyer, (await login(client, buyer)).accessToken)
  return checkAll(orders, async ({ id, buyer }) => {
    const res = await client.call('GET', `/api/v1/orders/${id}`, { token: tokens.get(buyer)! })
    return res.status === 200 && res.body?.id === id ? undefined : `order ${id}: ${res.status} ${JSON.stringify(res.body)}`
  })
}

/** Every registration answered 201 can log in. */
export function accountsThatCannotLogIn (client: GatewayClient, accounts: Account[]): Promise<string[]> {
  return checkAll(accounts, async (account) => {
    const res = await client.call('POST', '/api/v1/auth/login', { body: { email: account.email, password: account.password } })
    return res.status === 200 ? undefined : `${account.email} (${account.id}): login ${res.status} ${JSON.stringify(res.body)}`
  })
}
