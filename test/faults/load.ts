import { randomInt } from 'node:crypto'
import { setTimeout as delay } from 'node:timers/promises'
import { PASSWORD, uniqueEmail } from './accounts.ts'
import type { Account, Session } from './accounts.ts'
import type { GatewayClient } from './gateway-client.ts'
import type { Flow } from './request-log.ts'

export interface Buyer extends Account {
  session: Session
}

export interface AcknowledgedOrder {
  id: string
  buyer: Buyer
}

export interface LoadOptions {
  client: GatewayClient
  /** One virtual user per buyer. */
  buyers: Buyer[]
  requestsPerSecond: number
}

/** Destinations for OTP codes, never the same twice in a run: a repeat would meet the resend cooldown. */
function phoneNumbers () {
  let next = 2_000_000 + randomInt(6_000_000)
  return () => `+1415${next++}`
}

/**
 * A steady, mixed client load through the gateway: each virtual user cycles through
 * register, login, profile, order (with an Idempotency-Key, retried under the same key
 * until it is answered), OTP, refresh, profile and logout, paced so that all of them
 * together send about `requestsPerSecond`. A step whose session is gone is skipped.
 */
export function startLoad ({ client, buyers, requestsPerSecond }: LoadOptions) {
  let stopped = false
  const registered: Account[] = []
  const orders = new Map<string, AcknowledgedOrder>()
  const nextPhone = phoneNumbers()
  const intervalMs = (buyers.length * 1000) / requestsPerSecond

  async function virtualUser (vu: number, buyer: Buyer): Promise<void> {
    let session: Session | undefined
    let pendingOrder: { key: string, body: unknown } | undefined
    let ordered = 0
    let nextAt = Date.now() + randomInt(Math.ceil(intervalMs))
    const send = (flow: Flow, method: string, path: string, options: Parameters<GatewayClient['call']>[2] = {}) =>
      client.call(method, path, options, flow, vu)

    const steps: Array<(cycle: number) => Promise<boolean>> = [
      async (cycle) => {
        if (cycle % 2 === 1) return false
        const email = uniqueEmail('load')
        const res = await send('register', 'POST', '/api/v1/users/register', { body: { email, password: PASSWORD } })
        if (res.status === 201) registered.push({ id: String(res.body!.id), email, password: PASSWORD })
        return true
      },
      async () => {
        const res = await send('login', 'POST', '/api/v1/auth/login', { body: { email: buyer.email, password: buyer.password } })
        session = res.status === 200 ? { accessToken: String(res.body!.accessToken), refreshToken: String(res.body!.refreshToken) } : undefined
        return true
      },
      async () => {
        await send('me', 'GET', '/api/v1/users/me', { token: session?.accessToken ?? buyer.session.accessToken })
        return true
      },
      async () => {
        ordered++
        pendingOrder ??= {
          key: `vu${vu}-${ordered}-${randomInt(1_000_000)}`,
          body: { items: [{ sku: `SKU-${vu}-${ordered}`, quantity: 1 + (ordered % 3), unitPrice: 100 + ordered }], currency: 'USD' }
        }
        const res = await send('order', 'POST', '/api/v1/orders', {
          body: pendingOrder.body, token: buyer.session.accessToken, headers: { 'idempotency-key': pendingOrder.key }
        })
        if (res.status === 201) orders.set(String(res.body!.id), { id: String(res.body!.id), buyer })
        // Unanswered or unavailable: the next order repeats this one under the same key, as a careful client would.
        if (res.status !== 0 && res.status < 500) pendingOrder = undefined
        return true
      },
      async () => {
        await send('otp', 'POST', '/api/v1/otp/generate', { body: { destination: nextPhone() } })
        return true
      },
      async () => {
        if (!session) return false
        const res = await send('refresh', 'POST', '/api/v1/auth/refresh', { body: { refreshToken: session.refreshToken } })
        session = res.status === 200 ? { accessToken: String(res.body!.accessToken), refreshToken: String(res.body!.refreshToken) } : undefined
        return true
      },
      async () => {
        await send('me', 'GET', '/api/v1/users/me', { token: session?.accessToken ?? buyer.session.accessToken })
        return true
      },
      async () => {
        if (!session) return false
        await send('logout', 'POST', '/api/v1/auth/logout', { body: { refreshToken: session.refreshToken } })
        session = undefined
        return true
      }
    ]

    for (let cycle = 0; ; cycle++) {
      for (const step of steps) {
        if (stopped) return
        // Pacing the load, not waiting for an outcome.
        const wait = nextAt - Date.now()
        if (wait > 0) await delay(wait)
        if (await step(cycle)) nextAt = Math.max(nextAt + intervalMs, Date.now())
      }
    }
  }

  const running = buyers.map((buyer, vu) => virtualUser(vu + 1, buyer))
  return {
    registered,
    orders,
    async stop (): Promise<void> {
      stopped = true
      await Promise.all(running)
    }
  }
}

export type Load = ReturnType<typeof startLoad>
