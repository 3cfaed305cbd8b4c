// npm run bench: starts the platform (on the real servers when DATABASE_URL, REDIS_URL and
// AMQP_URL are set, as PERFORMANCE.md asks) and measures each flow through the gateway with
// autocannon: 50 connections, 10 s per run after a warm-up, median of 3 runs.
import { randomBytes } from 'node:crypto'
import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs'
import { cpus, tmpdir } from 'node:os'
import { join } from 'node:path'
import type { RabbitBus } from '@app/kit/bus'
import { openPostgres, quoteIdent } from '@app/kit/db'
import type { Db } from '@app/kit/db'
import { createLogger } from '@app/kit/log'
import { deleteCacheKeys, deleteTopology } from '@app/kit/testing'
import { startPlatform } from '@app/platform'
import { argon2HashesPerSecond } from './argon2.ts'
import { measureGatewayOverhead, overheadTable } from './gateway-overhead.ts'
import type { LatencyResult } from './inbox.ts'
import { measure, medianOf } from './load.ts'
import type { FlowResult } from './load.ts'
import { orderToInbox, ordersPerSecond } from './order-flows.ts'
import { freshCodes, numbers, otpGenerate, otpToInbox, otpValidate } from './otp-flows.ts'

const runs = Number(process.env.BENCH_RUNS ?? 3)
const duration = Number(process.env.BENCH_SECONDS ?? 10)
const prefix = `bench${randomBytes(3).toString('hex')}`
const env = {
  ...process.env,
  LOG_LEVEL: 'warn',
  DB_SCHEMA_PREFIX: process.env.DATABASE_URL ? `${prefix}_` : '',
  CACHE_PREFIX: `${prefix}:`,
  BUS_PREFIX: process.env.AMQP_URL ? `${prefix}.` : '',
  // Eight stateful services share PostgreSQL's default 100 connections.
  DB_POOL_SIZE: '10',
  // The load comes from one IP: the gateway's per-IP limits would otherwise answer 429 after a few requests.
  GATEWAY_RATE_LIMIT_PER_MINUTE: '1000000',
  GATEWAY_SENSITIVE_RATE_LIMIT_PER_MINUTE: '1000000',
  GATEWAY_USER_RATE_LIMIT_PER_MINUTE: '1000000',
  // One client sends every code: the per-IP and global OTP ceilings are not what is measured.
  OTP_MAX_SENDS_PER_IP_HOUR: '100000',
  OTP_MAX_SENDS_PER_MINUTE: '1000000',
  // Known, so the benchmark can mark its users' emails verified (order confirmations go to verified addresses).
  SERVICE_SECRET: randomBytes(32).toString('hex'),
  // Embedded runs must not write into the developer's ./data.
  DATA_DIR: mkdtempSync(join(tmpdir(), 'gatehouse-bench-'))
}
const platform = await startPlatform({ env, log: createLogger('warn'), ports: 'auto' })
const gateway = platform.gatewayUrl
const user = platform.services.get('user')!.url

let counter = 0
const signUp = (base: string) => () => measure('sign-up (email + password)', {
  url: `${base}/api/v1/users/register`,
  duration,
  requests: [{
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    setupRequest: (req) => ({ ...req, body: JSON.stringify({ email: `b${counter++}.${prefix}@example.com`, password: 'correct horse battery staple' }) })
  }]
})
// Many accounts, as in real traffic: the brute-force throttle counts concurrent attempts on one account.
let turn = 0
const login = (base: string, emails: string[]) => () => measure('password login', {
  url: `${base}/api/v1/auth/login`,
  duration,
  requests: [{
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    setupRequest: (req) => ({ ...req, body: JSON.stringify({ email: emails[turn++ % emails.length], password: 'correct horse battery staple' }) })
  }]
})
const notFound = (base: string, flow: string) => () => measure(flow, { url: `${base}/api/v1/users/does-not-exist`, duration })
const json = { 'content-type': 'application/json' }

/**
 * Refresh rotation: every answer carries the next token of its session, which
 * goes back into the pool; a token is in one request at a time (presenting a
 * spent one would end the session as reuse).
 */
const refresh = (base: string, tokens: string[]) => {
  // Shared by the runs: a run's last answers may be lost when it stops, so there are spare sessions.
  const pool = [...tokens]
  return () => measure('refresh (rotation)', {
    url: `${base}/api/v1/auth/refresh`,
    duration,
    requests: [{
      method: 'POST',
      headers: json,
      setupRequest: (req) => ({ ...req, body: JSON.stringify({ refreshToken: pool.shift() }) }),
      onResponse: (status, body) => { if (status === 200) pool.push(JSON.parse(body).refreshToken) }
    }]
  })
}

/** Waits until the notification service has sent everything queued, so a latency run starts without a backlog. */
async function drained (notificationDb: Db): Promise<void> {
  for (let waited = 0; waited < 180_000; waited += 1000) {
    const { rows } = await notificationDb.query<{ n: string }>("select count(*) as n from deliveries where status in ('queued', 'sending', 'failed')")
    if (Number(rows[0]!.n) === 0) return
    await new Promise(resolve => setTimeout(resolve, 1000))
  }
}

let reader = 0
const me = (base: string, accessTokens: string[]) => () => measure('authenticated read (`GET /users/me`)', {
  url: `${base}/api/v1/users/me`,
  duration,
  requests: [{ method: 'GET', setupRequest: (req) => ({ ...req, headers: { authorization: `Bearer ${accessTokens[reader++ % accessTokens.length]}` } }) }]
})

async function loginPair (base: string, email: string): Promise<{ accessToken: string, refreshToken: string }> {
  const res = await fetch(`${base}/api/v1/auth/login`, { method: 'POST', headers: json, body: JSON.stringify({ email, password: 'correct horse battery staple' }) })
  return await res.json() as { accessToken: string, refreshToken: string }
}

const results: FlowResult[] = []
const latencies: LatencyResult[] = []
try {
  await measure('warm-up', { url: `${gateway}/api/v1/users/does-not-exist`, duration: 2 })
  results.push(await medianOf(runs, signUp(gateway)))
  const emails = Array.from({ length: 100 }, (_, i) => `login${i}.${prefix}@example.com`)
  for (const email of emails) {
    await fetch(`${gateway}/api/v1/users/register`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ email, password: 'correct horse battery staple' }) })
  }
  results.push(await medianOf(runs, login(gateway, emails)))
  // 300 sessions: more token chains than connections, so none waits for its own answer.
  const sessions = await Promise.all([...emails, ...emails, ...emails].map(email => loginPair(gateway, email)))
  results.push(await medianOf(runs, me(gateway, sessions.map(s => s.accessToken))))
  results.push(await medianOf(runs, refresh(gateway, sessions.map(s => s.refreshToken))))

  const offset = Math.floor(Math.random() * 1_000_000) * 50
  let used = 0
  const fresh = (count: number) => { const list = numbers(count, offset + used); used += count; return list }
  results.push(await medianOf(runs, () => otpGenerate(gateway, fresh(40_000), duration)))
  const notificationDb = platform.services.get('notification')!.ctx.db
  results.push(await medianOf(runs, async () => otpValidate(gateway, await freshCodes(gateway, notificationDb, fresh(3000)))))
  await drained(notificationDb)
  latencies.push(await otpToInbox(gateway, notificationDb, fresh(1000), 100))

  // A customer with a verified email: order confirmations go to verified addresses only.
  const buyerEmail = `buyer.${prefix}@example.com`
  const buyer = await (await fetch(`${gateway}/api/v1/users/register`, { method: 'POST', headers: json, body: JSON.stringify({ email: buyerEmail, password: 'correct horse battery staple' }) })).json() as { id: string }
  await fetch(`${user}/internal/users/${buyer.id}/email-verified`, { method: 'POST', headers: { ...json, 'x-service-token': env.SERVICE_SECRET }, body: JSON.stringify({ email: buyerEmail }) })
  const { accessToken } = await loginPair(gateway, buyerEmail)
  // Latency first, with no backlog of messages from the runs ahead of it.
  await drained(notificationDb)
  latencies.push(await orderToInbox(gateway, accessToken, notificationDb, 200, 10))
  results.push(await medianOf(runs, () => ordersPerSecond(gateway, accessToken, duration)))
  results.push(await medianOf(runs, notFound(gateway, 'gateway -> user service, trivial 404 answer')))
  results.push(await medianOf(runs, notFound(user, 'user service directly, trivial 404 answer')))
} finally {
  const bus = platform.services.get('user')!.ctx.bus as Partial<RabbitBus>
  const topology = bus.topology?.()
  const schemas = [...platform.services.values()].map(r => r.ctx.db).filter(db => db.kind === 'postgres' && db.schema).map(db => db.schema)
  await platform.close()
  if (process.env.DATABASE_URL && schemas.length > 0) {
    const db = openPostgres({ url: process.env.DATABASE_URL, schema: 'public', poolSize: 1 })
    for (const schema of schemas) await db.query(`drop schema if exists ${quoteIdent(schema)} cascade`)
    await db.close()
  }
  if (topology && process.env.AMQP_URL) await deleteTopology(process.env.AMQP_URL, topology)
  if (process.env.REDIS_URL) await deleteCacheKeys(process.env.REDIS_URL, `${prefix}:`)
}
// The gateway alone in front of a trivial upstream, each in its own process (gateway-overhead.ts).
const overhead = await measureGatewayOverhead({ runs, duration })
const argon = await argon2HashesPerSecond()

const date = new Date().toISOString().slice(0, 10)
const backends = `${platform.backends.db}; ${platform.backends.cache} cache; ${platform.backends.bus} bus`
const table = [
  '| flow, through the gateway unless noted | requests/s | p50 ms | p99 ms | errors | non-2xx |',
  '| --- | --- | --- | --- | --- | --- |',
  ...results.map(r => `| ${r.flow} | ${r.requestsPerSecond} | ${r.p50} | ${r.p99} | ${r.errors} | ${r.non2xx} |`),
  `| argon2id raw hashes/s (m=19456 KiB, t=2, p=1), for context | ${argon} | | | | |`
].join('\n')
const report = `# Benchmark ${date}

Machine: ${cpus().length} shared cores (${cpus()[0]?.model ?? 'unknown'}), load generator on the same machine.
Backends: ${backends}. autocannon, 50 connections, ${duration} s per run, median of ${runs} runs.
The 404 rows hit a route the user service does not have: they measure the gateway's own overhead on a trivial upstream answer.

${table}

Time from the request to the message landing in the dev inbox (the inbox row's own timestamp), at a steady rate:

| flow | messages | p50 ms | p99 ms | missing |
| --- | --- | --- | --- | --- |
${latencies.map(l => `| ${l.flow} | ${l.samples} | ${l.p50} | ${l.p99} | ${l.missing} |`).join('\n')}

## The gateway alone

A trivial upstream (the kit's server, one route) and the gateway in their own processes, autocannon in a third.
The CPU column is the time the answering process (the upstream, or the gateway alone) spent per request.

${overheadTable(overhead)}
`
mkdirSync(new URL('./results/', import.meta.url), { recursive: true })
writeFileSync(new URL(`./results/${date}.md`, import.meta.url), report)
process.stdout.write(report)
