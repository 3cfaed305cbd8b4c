// npm run bench [-- --quick]: Gatehouse (all-in-one and separate processes) and better-auth 1.7.7
// side by side in one invocation, as /work/shared/PERFORMANCE.md asks: autocannon in its own
// process, 50 connections, 3 s warm-up, 3 rounds of 10 s with the flows interleaved, medians;
// the pipeline's drain time after each run; peak RSS of every process; a private PostgreSQL
// cluster when the server binaries are here. --quick: 1 round of 3 s (a smoke run).
// BENCH_ROUNDS and BENCH_SECONDS override the full run's shape; BENCH_FLOWS (flow names) and
// BENCH_SIDES (all-in-one, separate, better-auth), comma-separated, measure only those.
// BENCH_CPU_PROF=<folder>: the all-in-one platform writes a CPU profile (node --cpu-prof) there.
// --gateway: also the gateway's own cost beside nginx's (bench/gateway-overhead.ts), added to the report.
import { randomBytes } from 'node:crypto'
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { cpus, loadavg, tmpdir } from 'node:os'
import { join } from 'node:path'
import { openPostgres } from '@app/kit/db'
import { deleteCacheKeys } from '@app/kit/testing'
import { argon2HashesPerSecond } from './argon2.ts'
import { totalCpuMs } from './cpu.ts'
import { localBrokers } from './brokers.ts'
import type { LatencyResult } from './inbox.ts'
import { startLoadWorker } from './load/client.ts'
import { orderToInbox } from './order-flows.ts'
import { openBenchDatabase } from './postgres-cluster.ts'
import { renderReport } from './report.ts'
import { measureGatewayOverhead } from './gateway-overhead.ts'
import { overheadReport } from './gateway-overhead-report.ts'
import type { Measured, ProcessMemory } from './report.ts'
import { peakRssMb, rssMb } from './rss.ts'
import { buildIfStale, startAllInOne } from './sides/all-in-one.ts'
import type { StartedGatehouse } from './sides/all-in-one.ts'
import { installBetterAuth, startBetterAuth } from './sides/better-auth.ts'
import { openGatehouseDb } from './sides/gatehouse-db.ts'
import { gatehouseEnv } from './sides/gatehouse-env.ts'
import { startSeparate } from './sides/separate.ts'
import { FLOWS } from './sides/side.ts'
import type { FlowName, Side } from './sides/side.ts'

const quick = process.argv.includes('--quick')
const rounds = quick ? 1 : Number(process.env.BENCH_ROUNDS ?? 3)
const duration = quick ? 3 : Number(process.env.BENCH_SECONDS ?? 10)
const warmUp = quick ? 1 : 3
const only = (name: string) => (process.env[name] ?? '').split(',').map(s => s.trim()).filter(Boolean)
const onlySides = only('BENCH_SIDES')
const wantSide = (side: string) => onlySides.length === 0 || onlySides.includes(side)
const prefix = `bench${randomBytes(3).toString('hex')}`
const log = (line: string) => process.stderr.write(`[bench ${new Date().toISOString().slice(11, 19)}] ${line}\n`)
const load = () => loadavg().map(n => Math.round(n * 100) / 100)
const loadAtStart = load()
let loadPeak = loadAtStart[0]!
const loadSampler = setInterval(() => { loadPeak = Math.max(loadPeak, load()[0]!) }, 5000)

installBetterAuth(log)
buildIfStale()
const database = await openBenchDatabase()
log(`PostgreSQL: ${database.description}`)
const brokers = await localBrokers()
const sides: Side[] = []
const gatehouse: StartedGatehouse[] = []
const memory: ProcessMemory[] = []
const measured: Measured[] = []
const latencies: Array<LatencyResult & { side: string }> = []
const notes: string[] = []
const worker = startLoadWorker()
const dataDirs: string[] = []

let cleaned: Promise<void> | undefined
/** Every side stopped, the run's schemas, keys and queues gone, the private cluster stopped and removed. */
function cleanUp (): Promise<void> {
  cleaned ??= (async () => {
    clearInterval(loadSampler)
    for (const side of [...sides].reverse()) await side.stop().catch(err => log(`stopping ${side.title}: ${String(err)}`))
    await worker.stop()
    if (brokers.redisUrl) await deleteCacheKeys(brokers.redisUrl, prefix).catch(err => log(`Redis clean-up: ${String(err)}`))
    if (!database.private) {
      const db = openPostgres({ url: database.url, schema: 'public', poolSize: 1 })
      const { rows } = await db.query<{ name: string }>('select nspname as name from pg_namespace where nspname like $1', [`${prefix}%`])
      for (const { name } of rows) await db.query(`drop schema if exists "${name}" cascade`)
      await db.close()
    }
    await database.stop()
    for (const dir of dataDirs) rmSync(dir, { recursive: true, force: true })
  })()
  return cleaned
}
for (const signal of ['SIGINT', 'SIGTERM'] as const) process.once(signal, () => { cleanUp().finally(() => process.exit(130)) })

const connectionBudget = database.private ? 80 : 40
const envOf = (side: string) => {
  const dataDir = mkdtempSync(join(tmpdir(), 'gatehouse-bench-data-'))
  dataDirs.push(dataDir)
  return gatehouseEnv({ databaseUrl: database.url, brokers, prefix: `${prefix}${side}`, serviceSecret: randomBytes(32).toString('hex'), connectionBudget, dataDir })
}
const dbOf = (side: string) => async () => {
  const db = await openGatehouseDb(database.url, `${prefix}${side}`, brokers.amqpUrl)
  log(`drain check (${prefix}${side}): ${db.drainCheck}`)
  return db
}
const sample = (side: Side) => {
  for (const p of side.processes()) memory.push({ side: side.title, name: p.name, idleMb: rssMb(p.pid) })
}

try {
  if (wantSide('all-in-one')) {
    log('starting Gatehouse all-in-one')
    const allInOne = await startAllInOne(envOf('a'), dbOf('a'), `${prefix}a`)
    sides.push(allInOne); gatehouse.push(allInOne); sample(allInOne)
  }
  if (!wantSide('separate')) {
    notes.push('Separate processes were not measured (BENCH_SIDES).')
  } else if (brokers.redisUrl && brokers.amqpUrl) {
    log('starting Gatehouse as separate processes')
    const separate = await startSeparate(envOf('s'), dbOf('s'), `${prefix}s`, line => { if (!line.includes('"level":') || /"level":[56]0/.test(line)) log(line) })
    sides.push(separate); gatehouse.push(separate); sample(separate)
  } else {
    notes.push('Separate processes were not measured: they need Redis and RabbitMQ, and none answered.')
  }
  if (wantSide('better-auth')) {
    log('starting better-auth')
    const betterAuth = await startBetterAuth({ databaseUrl: database.url, schema: `${prefix}_better_auth`, prefix })
    sides.push(betterAuth); sample(betterAuth)
  }

  const onlyFlows = only('BENCH_FLOWS')
  const flows = (Object.keys(FLOWS) as FlowName[]).filter(flow => onlyFlows.length === 0 || onlyFlows.includes(flow))
  const runOne = async (side: Side, flow: FlowName, seconds: number) => {
    const f = side.flows[flow]!
    const job = await f.job(seconds)
    const pids = side.processes().map(p => p.pid)
    const cpuBefore = totalCpuMs(pids)
    const result = await worker.run(job)
    f.after?.(result)
    const drainMs = await side.drain()
    // Until the pipeline drained: the asynchronous work a request causes is part of its cost.
    const cpuMsPerRequest = result.ok > 0 ? (totalCpuMs(pids) - cpuBefore) / result.ok : undefined
    return { result, drainMs, cpuMsPerRequest }
  }
  for (const flow of flows) {
    for (const side of sides) {
      if (side.flows[flow]?.warmUp === false || !side.flows[flow]) continue
      log(`warm-up: ${side.title}, ${flow}`)
      await runOne(side, flow, warmUp)
    }
  }
  for (let round = 1; round <= rounds; round++) {
    for (const flow of flows) {
      for (const side of sides) {
        if (!side.flows[flow]) continue
        const { result, drainMs, cpuMsPerRequest } = await runOne(side, flow, duration)
        log(`round ${round}: ${side.title}, ${flow}: ${result.requestsPerSecond} req/s, p99 ${result.p99} ms, non-2xx ${result.non2xx}${drainMs === undefined ? '' : `, drained in ${drainMs} ms`}${cpuMsPerRequest === undefined ? '' : `, ${cpuMsPerRequest.toFixed(2)} CPU ms/request`}`)
        measured.push({ round, flow, side: side.key, result, drainMs, cpuMsPerRequest })
      }
    }
  }
  for (const side of gatehouse) {
    log(`${side.title}: order -> confirmation in the inbox at 200 orders/s`)
    // The token first: its login is an event too. Then on a drained pipeline, so no earlier order's backlog is in the way.
    const token = await side.buyerToken()
    const drainMs = await side.drain()
    log(`${side.title}: drained in ${drainMs} ms before the order -> inbox run`)
    const latency = await orderToInbox(side.gatewayUrl, token, side.buyerEmail, side.db.notification, 200, duration)
    log(`${side.title}: order -> inbox p50 ${latency.p50} ms, p99 ${latency.p99} ms, ${latency.samples} confirmed, ${latency.missing} missing`)
    latencies.push({ side: side.title, ...latency })
  }
  for (const side of sides) {
    for (const p of side.processes()) {
      const entry = memory.find(m => m.side === side.title && m.name === p.name)
      if (entry) entry.peakMb = peakRssMb(p.pid)
    }
  }
} finally {
  await cleanUp()
}
log('argon2id raw rate')
const argon2PerSecond = await argon2HashesPerSecond(quick ? 2 : 5)
const gatewayOverhead = process.argv.includes('--gateway')
  ? (log('gateway overhead beside nginx'), await measureGatewayOverhead({ runs: rounds, duration, log }))
  : undefined

const date = new Date().toISOString().slice(0, 10)
const report = renderReport({
  date,
  quick,
  rounds,
  duration,
  warmUp,
  machine: `${cpus().length} shared cores (${cpus()[0]?.model ?? 'unknown'}), Node ${process.version}`,
  loadAverages: { start: loadAtStart, max: Math.round(loadPeak * 100) / 100, end: load() },
  database: database.description,
  backends: [
    `Gatehouse: ${gatehouse[0]?.backends ?? '-'}; Redis ${brokers.redisUrl ? 'local' : 'absent (in-memory cache)'}, RabbitMQ ${brokers.amqpUrl ? 'local' : 'absent (in-process bus)'}, under the prefix ${prefix}; compiled JavaScript (scripts/build.mjs) with plain node.`,
    'better-auth 1.7.7 (bench/peers/better-auth): email + password, phoneNumber and emailOTP plugins, rate limiter off, pg Pool (its Kysely adapter), node:http with toNodeHandler, codes to an in-memory sink.'
  ],
  sides: sides.map(s => ({ key: s.key, title: s.title })),
  measured,
  latencies,
  memory,
  argon2PerSecond,
  notes: [
    ...notes,
    'Differences between the sides: better-auth hashes passwords with scrypt (its default), Gatehouse with argon2id; better-auth\'s sign-up also opens a session (autoSignIn, its default), Gatehouse\'s register does not; its get-session reads the session row (cookie cache off, its default), `/users/me` checks a JWT at the gateway and reads the user; its send-otp stores the code and calls the sink before answering, Gatehouse answers once the request and its outbox row are committed and delivers the SMS asynchronously (outbox -> RabbitMQ -> notification -> dev inbox: counted in the drain time); its phone verify creates a user with a placeholder email and a session cookie, Gatehouse a user and a token pair; better-auth\'s send-otp is measured once per round and both Gatehouse send flows are compared with it.'
  ]
})
mkdirSync(new URL('./results/', import.meta.url), { recursive: true })
const file = new URL(`./results/${date}${quick ? '-quick' : ''}.md`, import.meta.url)
const full = gatewayOverhead ? `${report}\n## Gateway overhead beside nginx\n\n${overheadReport(gatewayOverhead)}\n` : report
writeFileSync(file, full)
process.stdout.write(full)
log(`written to bench/results/${date}${quick ? '-quick' : ''}.md`)
