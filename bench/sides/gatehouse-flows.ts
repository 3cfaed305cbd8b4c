// Gatehouse's flows through its gateway, the same for the all-in-one platform and separate processes.
import { internalCredential } from '@app/kit/http'
import { loadServiceKeys } from '@app/kit/keys'
import { landedSince } from '../inbox.ts'
import type { Job } from '../load/job.ts'
import type { GatehouseDb } from './gatehouse-db.ts'
import type { Flow, FlowName } from './side.ts'
import { freshNumbers, inBatches, PASSWORD } from './side.ts'

export interface GatehouseTarget {
  gatewayUrl: string
  userUrl: string
  db: GatehouseDb
  prefix: string
  serviceSecret: string
}

const json = { 'content-type': 'application/json' }
export const ORDER = JSON.stringify({ items: [{ sku: 'TEA-1', quantity: 2, unitPrice: 450 }], currency: 'EUR' })

export interface GatehouseFlows {
  flows: Partial<Record<FlowName, Flow>>
  /** A fresh access token of the buyer, whose email is verified (order confirmations go to verified addresses). */
  buyerToken(): Promise<string>
  /** Where the buyer's order confirmations go. */
  buyerEmail: string
}

async function call<T> (url: string, body: unknown, headers: Record<string, string> = {}): Promise<T> {
  const res = await fetch(url, { method: 'POST', headers: { ...json, ...headers }, body: JSON.stringify(body) })
  if (!res.ok) throw new Error(`${url} answered ${res.status}: ${await res.text()}`)
  return await res.json() as T
}

/** Sends a code to each number (`auth/phone/signup`) and reads them back from the dev inbox. */
async function phoneCodes (t: GatehouseTarget, phones: string[]): Promise<Array<{ phone: string, otp: string }>> {
  const since = new Date(Date.now() - 1000)
  await inBatches(phones, 50, phone => fetch(`${t.gatewayUrl}/api/v1/auth/phone/signup`, { method: 'POST', headers: json, body: JSON.stringify({ phone }) }))
  const wanted = new Set(phones)
  for (let waited = 0; waited < 120_000; waited += 250) {
    const landed = (await landedSince(t.db.notification, since)).filter(m => wanted.has(m.recipient))
    if (landed.length >= phones.length) return landed.map(m => ({ phone: m.recipient, otp: /\b(\d{6})\b/.exec(m.text)![1]! }))
    await new Promise(resolve => setTimeout(resolve, 250))
  }
  throw new Error('codes did not land in the dev inbox within two minutes')
}

export async function gatehouseFlows (t: GatehouseTarget): Promise<GatehouseFlows> {
  const gw = t.gatewayUrl
  const emails = Array.from({ length: 100 }, (_, i) => `login${i}.${t.prefix}@example.com`)
  await inBatches(emails, 10, email => call(`${gw}/api/v1/users/register`, { email, password: PASSWORD }))
  const login = (email: string) => call<{ accessToken: string, refreshToken: string }>(`${gw}/api/v1/auth/login`, { email, password: PASSWORD })
  // 300 token chains: more than connections, so none waits for its own answer.
  let refreshTokens = (await inBatches([...emails, ...emails, ...emails], 10, login)).map(s => s.refreshToken)

  const buyerEmail = `buyer.${t.prefix}@example.com`
  const buyer = await call<{ id: string }>(`${gw}/api/v1/users/register`, { email: buyerEmail, password: PASSWORD })
  await call(`${t.userUrl}/internal/users/${buyer.id}/email-verified`, { email: buyerEmail }, { 'x-service-token': internalCredential({ keyring: loadServiceKeys({ SERVICE_SECRET: t.serviceSecret }).internal, caller: 'bench', callee: 'user' }, { method: 'POST', path: `/internal/users/${buyer.id}/email-verified` }) })
  const buyerToken = async () => (await login(buyerEmail)).accessToken

  let signUps = 0
  const job = (path: string, extra: Partial<Job> & { duration: number }): Job => ({ url: `${gw}${path}`, method: 'POST', headers: json, ...extra })
  const flows: Partial<Record<FlowName, Flow>> = {
    'sign-up': {
      job: async (duration) => job('/api/v1/users/register', {
        duration,
        bodies: Array.from({ length: duration * 300 }, () => JSON.stringify({ email: `s${signUps++}.${t.prefix}@example.com`, password: PASSWORD }))
      })
    },
    login: {
      job: async (duration) => job('/api/v1/auth/login', {
        duration,
        bodies: Array.from({ length: duration * 300 }, (_, i) => JSON.stringify({ email: emails[i % emails.length], password: PASSWORD }))
      })
    },
    read: {
      // Fresh access tokens each run: a full run outlasts their 15 minutes.
      job: async (duration) => {
        const sessions = await inBatches(emails, 10, login)
        return { url: `${gw}/api/v1/users/me`, method: 'GET', headers: {}, duration, headerVariants: sessions.map(s => ({ authorization: `Bearer ${s.accessToken}` })) }
      }
    },
    'phone-send': {
      job: async (duration) => job('/api/v1/auth/phone/signup', { duration, bodies: freshNumbers(duration * 3000).map(phone => JSON.stringify({ phone })) })
    },
    'otp-send': {
      job: async (duration) => job('/api/v1/otp/generate', { duration, bodies: freshNumbers(duration * 3000).map(destination => JSON.stringify({ destination })) })
    },
    'phone-verify': {
      warmUp: false,
      job: async (duration) => {
        const codes = await phoneCodes(t, freshNumbers(duration * 300))
        await t.db.drain()
        return job('/api/v1/auth/phone/verify', { duration, bodies: codes.map(c => JSON.stringify(c)) })
      }
    },
    refresh: {
      job: async (duration) => job('/api/v1/auth/refresh', { duration, rotate: { field: 'refreshToken', tokens: refreshTokens } }),
      after: (result) => { refreshTokens = result.tokens ?? refreshTokens }
    },
    order: {
      job: async (duration) => job('/api/v1/orders', { duration, headers: { ...json, authorization: `Bearer ${await buyerToken()}` }, body: ORDER })
    }
  }
  return { flows, buyerToken, buyerEmail }
}
