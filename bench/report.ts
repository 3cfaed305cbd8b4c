// The bench's Markdown report: ratios first, then each side's figures, latency, memory.
import type { LatencyResult } from './inbox.ts'
import type { JobResult } from './load/job.ts'
import { FLOWS } from './sides/side.ts'
import type { FlowName } from './sides/side.ts'

export interface Measured {
  round: number
  flow: FlowName
  side: string
  result: JobResult
  /** From the end of the run until the pipeline was idle (Gatehouse only). */
  drainMs?: number | undefined
  /** CPU time of the side's own processes per 2xx answer, from the start of the run until its pipeline drained (not PostgreSQL's, Redis's or the broker's). */
  cpuMsPerRequest?: number | undefined
}

export interface ProcessMemory { side: string, name: string, idleMb?: number | undefined, peakMb?: number | undefined }

export interface ReportInput {
  date: string
  quick: boolean
  rounds: number
  duration: number
  warmUp: number
  machine: string
  loadAverages: { start: number[], max: number, end: number[] }
  database: string
  backends: string[]
  sides: Array<{ key: string, title: string }>
  measured: Measured[]
  latencies: Array<LatencyResult & { side: string }>
  memory: ProcessMemory[]
  argon2PerSecond: number
  notes: string[]
}

/** Gatehouse flow -> better-auth flow it is compared with. */
const COMPARED: Array<[FlowName, FlowName]> = [
  ['sign-up', 'sign-up'], ['login', 'login'], ['read', 'read'],
  ['phone-send', 'phone-send'], ['otp-send', 'phone-send'], ['phone-verify', 'phone-verify']
]
const REFERENCE = 'better-auth'

const runsOf = (m: Measured[], side: string, flow: FlowName) => m.filter(x => x.side === side && x.flow === flow).sort((a, b) => a.round - b.round)
function median (runs: Measured[]): Measured | undefined {
  const sorted = [...runs].sort((a, b) => a.result.requestsPerSecond - b.result.requestsPerSecond)
  return sorted[Math.floor((sorted.length - 1) / 2)]
}
/** The median over rounds of the CPU ms per request (undefined when not measured). */
function cpuOf (runs: Measured[]): number | undefined {
  const values = runs.map(r => r.cpuMsPerRequest).filter((v): v is number => v !== undefined).sort((a, b) => a - b)
  return values.length ? values[Math.floor((values.length - 1) / 2)] : undefined
}
const ratio = (a: number | undefined, b: number | undefined) => a === undefined || b === undefined || b === 0 ? '-' : (a / b).toFixed(2)
const fmt = (n: number | undefined) => n === undefined ? '-' : n >= 100 ? String(Math.round(n)) : String(n)

function ratioTable (input: ReportInput): string {
  const gatehouse = input.sides.filter(s => s.key !== REFERENCE)
  const head = ['flow', ...gatehouse.map(s => `${s.title} req/s`), `${REFERENCE} req/s`, ...gatehouse.map(s => `${s.key} ÷ ${REFERENCE}`), ...gatehouse.map(s => `${s.key} ÷ ${REFERENCE} by round`),
    ...gatehouse.map(s => `${REFERENCE} CPU ms/req ÷ ${s.key}'s`)]
  const rows = COMPARED.map(([flow, reference]) => {
    const ref = runsOf(input.measured, REFERENCE, reference)
    const refRps = median(ref)?.result.requestsPerSecond
    const cells = gatehouse.map(s => median(runsOf(input.measured, s.key, flow))?.result.requestsPerSecond)
    const byRound = gatehouse.map(s => runsOf(input.measured, s.key, flow).map(run => ratio(run.result.requestsPerSecond, ref.find(r => r.round === run.round)?.result.requestsPerSecond)).join(' / ') || '-')
    // CPU per request: the inverse, so above 1 means Gatehouse spends less than the reference, as for req/s.
    const cpu = gatehouse.map(s => ratio(cpuOf(ref), cpuOf(runsOf(input.measured, s.key, flow))))
    return [FLOWS[flow], ...cells.map(fmt), fmt(refRps), ...cells.map(c => ratio(c, refRps)), ...byRound, ...cpu]
  })
  return markdownTable(head, rows)
}

function sideTable (input: ReportInput, side: { key: string, title: string }): string {
  const flows = (Object.keys(FLOWS) as FlowName[]).filter(f => runsOf(input.measured, side.key, f).length > 0)
  const rows = flows.map(flow => {
    const runs = runsOf(input.measured, side.key, flow)
    const mid = median(runs)!
    const first = runs[0]?.result.requestsPerSecond
    const last = runs.at(-1)?.result.requestsPerSecond
    const drains = runs.map(r => r.drainMs).filter((d): d is number => d !== undefined)
    return [
      FLOWS[flow], fmt(mid.result.requestsPerSecond), runs.map(r => fmt(r.result.requestsPerSecond)).join(' / '),
      runs.length > 1 ? ratio(last, first) : '-', String(mid.result.p50), String(mid.result.p99),
      String(runs.reduce((n, r) => n + r.result.non2xx, 0)), String(runs.reduce((n, r) => n + r.result.errors, 0)),
      drains.length ? drains.map(d => (d / 1000).toFixed(1)).join(' / ') : '-',
      cpuOf(runs)?.toFixed(2) ?? '-',
      runs.some(r => r.result.exhausted) ? 'prepared bodies ran out early in a round' : ''
    ]
  })
  return markdownTable(['flow', 'req/s (median)', 'by round', 'round 3 ÷ round 1', 'p50 ms', 'p99 ms', 'non-2xx', 'errors', 'drain s by round', 'CPU ms/request (median)', 'note'], rows)
}

function memoryTable (input: ReportInput): string {
  const rows = input.sides.flatMap(side => {
    const own = input.memory.filter(m => m.side === side.title)
    const total = own.length > 1 ? [[side.title, '**all processes**', fmt(own.reduce((n, m) => n + (m.idleMb ?? 0), 0)), fmt(own.reduce((n, m) => n + (m.peakMb ?? 0), 0))]] : []
    return [...own.map(m => [m.side, m.name, fmt(m.idleMb), fmt(m.peakMb)]), ...total]
  })
  return markdownTable(['side', 'process', 'RSS MB after start (idle)', 'peak RSS MB (VmHWM)'], rows)
}

function markdownTable (head: string[], rows: string[][]): string {
  return [`| ${head.join(' | ')} |`, `| ${head.map(() => '---').join(' | ')} |`, ...rows.map(r => `| ${r.join(' | ')} |`)].join('\n')
}

export function renderReport (input: ReportInput): string {
  const gatehouse = input.sides.filter(s => s.key !== REFERENCE)
  const passwordRows = gatehouse.flatMap(s => (['sign-up', 'login'] as FlowName[]).map(flow => {
    const rps = median(runsOf(input.measured, s.key, flow))?.result.requestsPerSecond
    return [s.title, FLOWS[flow], fmt(rps), ratio(rps, input.argon2PerSecond)]
  }))
  return `# Benchmark ${input.date}${input.quick ? ' (--quick smoke run)' : ''}

- Machine: ${input.machine}; load generator (autocannon) in its own process on the same machine.
- Load average (1, 5, 15 min): ${input.loadAverages.start.join(', ')} at the start, ${input.loadAverages.end.join(', ')} at the end, 1-minute peak ${input.loadAverages.max} while measuring.
- PostgreSQL: ${input.database}.
- ${input.backends.join('\n- ')}
- autocannon, 50 connections, closed loop; ${input.warmUp} s warm-up per flow and side, then ${input.rounds} round(s) of ${input.duration} s with the flows interleaved (each flow on each side in turn); medians of the rounds. req/s counts 2xx answers only; errors are connection errors and autocannon's 10 s timeouts; p50/p99 are those of the median round. CPU ms/request: user + system time of the side's own processes (from /proc) from the start of a run until its pipeline drained, per 2xx answer; PostgreSQL, Redis and RabbitMQ are not counted. It holds better than req/s on a busy machine.
${input.notes.map(n => `- ${n}`).join('\n')}

## Gatehouse ÷ better-auth, same invocation

${ratioTable(input)}

## Each side

${input.sides.map(s => `### ${s.title}\n\n${sideTable(input, s)}`).join('\n\n')}

Drain: from the end of a run until every service's outbox had no queued row, the notification service no queued, sending or failed delivery, the audit trail held every event published since the last drain and the notification service had taken every order.created, and (RabbitMQ) the side's queues held no ready message, confirmed with 0 ready and 0 unacknowledged by rabbitmqctl, two polls 100 ms apart.

## Password flows and the raw argon2id rate of this run

argon2id (m=19456 KiB, t=2, p=1), 8 concurrent hashes on libuv's threads, in the bench's process with every side idle: **${input.argon2PerSecond} hashes/s**.

${markdownTable(['side', 'flow', 'req/s', '÷ argon2id rate'], passwordRows)}

## Order -> confirmation in the dev inbox

${markdownTable(['side', 'flow', 'messages', 'p50 ms', 'p99 ms', 'missing'], input.latencies.map(l => [l.side, l.flow, String(l.samples), String(l.p50), String(l.p99), String(l.missing)]))}

## Memory

Kernel figures from /proc/<pid>/status: VmRSS a moment after start, VmHWM (the high-water mark) at the end of the rounds.

${memoryTable(input)}
`
}
