// OTP flows through the gateway: generate, validate with fresh codes, and the time from
// `generate` to the code landing in the dev inbox.
import type { Db } from '@app/kit/db'
import { landedSince, percentile } from './inbox.ts'
import type { LatencyResult } from './inbox.ts'
import { measure } from './load.ts'
import type { FlowResult } from './load.ts'

const json = { 'content-type': 'application/json' }
/** Distinct valid San Francisco numbers (exchange 2xx-9xx), so per-number limits never trigger. */
export function numbers (count: number, offset: number): string[] {
  return Array.from({ length: count }, (_, i) => {
    const n = offset + i
    return `+1415${2 + (Math.floor(n / 1_000_000) % 8)}${String(n % 1_000_000).padStart(6, '0')}`
  })
}

export async function otpGenerate (gateway: string, destinations: string[], duration: number): Promise<FlowResult> {
  let next = 0
  return measure('OTP send (`otp/generate`, outbox write included)', {
    url: `${gateway}/api/v1/otp/generate`,
    duration,
    requests: [{ method: 'POST', headers: json, setupRequest: req => ({ ...req, body: JSON.stringify({ destination: destinations[next++ % destinations.length] }) }) }]
  })
}

/** Sends one code to each destination and reads them back from the dev inbox. */
export async function freshCodes (gateway: string, notificationDb: Db, destinations: string[]): Promise<Array<{ destination: string, otp: string }>> {
  const since = new Date(Date.now() - 1000)
  for (let i = 0; i < destinations.length; i += 50) {
    await Promise.all(destinations.slice(i, i + 50).map(destination =>
      fetch(`${gateway}/api/v1/otp/generate`, { method: 'POST', headers: json, body: JSON.stringify({ destination }) })))
  }
  const wanted = new Set(destinations)
  for (let waited = 0; waited < 60_000; waited += 250) {
    const landed = (await landedSince(notificationDb, since)).filter(m => wanted.has(m.recipient))
    if (landed.length >= destinations.length) {
      const latest = new Map<string, string>()
      for (const m of landed.sort((a, b) => a.createdAt.getTime() - b.createdAt.getTime())) latest.set(m.recipient, /\b(\d{6})\b/.exec(m.text)![1]!)
      return [...latest].map(([destination, otp]) => ({ destination, otp }))
    }
    await new Promise(resolve => setTimeout(resolve, 250))
  }
  throw new Error('codes did not land in the dev inbox within a minute')
}

/** Each code validated once: the run ends when the codes are used up. */
export async function otpValidate (gateway: string, codes: Array<{ destination: string, otp: string }>): Promise<FlowResult> {
  let next = 0
  return measure('OTP verify with a fresh valid code', {
    url: `${gateway}/api/v1/otp/validate`,
    amount: codes.length,
    requests: [{ method: 'POST', headers: json, setupRequest: req => ({ ...req, body: JSON.stringify(codes[next++ % codes.length]) }) }]
  })
}

/** At a steady rate, when each code lands in the inbox after its `generate` was sent. */
export async function otpToInbox (gateway: string, notificationDb: Db, destinations: string[], perSecond: number): Promise<LatencyResult> {
  const sentAt = new Map<string, number>()
  const since = new Date(Date.now() - 1000)
  const interval = 1000 / perSecond
  const start = Date.now()
  await Promise.all(destinations.map(async (destination, i) => {
    await new Promise(resolve => setTimeout(resolve, Math.max(0, start + i * interval - Date.now())))
    sentAt.set(destination, Date.now())
    await fetch(`${gateway}/api/v1/otp/generate`, { method: 'POST', headers: json, body: JSON.stringify({ destination }) })
  }))
  await new Promise(resolve => setTimeout(resolve, 3000))
  const landed = (await landedSince(notificationDb, since)).filter(m => sentAt.has(m.recipient))
  const latencies = landed.map(m => m.createdAt.getTime() - sentAt.get(m.recipient)!)
  return { flow: `OTP generate -> code in the dev inbox, ${perSecond}/s`, samples: latencies.length, p50: percentile(latencies, 50), p99: percentile(latencies, 99), missing: destinations.length - landed.length }
}
