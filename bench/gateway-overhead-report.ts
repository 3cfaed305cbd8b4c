import type { FlowResult } from './load.ts'
import type { PacedLatency } from './paced-latency.ts'

export interface Scenario {
  key: 'direct' | 'nginx' | 'floor' | 'anonymous' | 'bearer'
  flow: string
}

export interface OverheadResult extends FlowResult {
  key: Scenario['key']
  /** CPU time (user + system) of the process(es) that answered autocannon, per request, in microseconds. */
  cpuPerRequestUs: number
  /** The trivial upstream's CPU time per request in the same run (all of it when measured directly). */
  upstreamCpuPerRequestUs: number
}

export interface OverheadRun {
  results: OverheadResult[]
  /** Latencies at half the gateway's saturation rate (bearer token and limits on). */
  halfLoad: { direct: PacedLatency, nginx: PacedLatency | undefined, floor: PacedLatency, bearer: PacedLatency }
  nginx: { version: string, workers: number } | undefined
  rateLimitStore: string
  runs: number
  duration: number
}

const ratio = (a: number, b: number | undefined) => (b ? (a / b).toFixed(2) : '-')
const ms = (value: number) => value.toFixed(2)

/** The comparison as markdown: the table, the ratios against nginx, and the p50 added at half load. */
export function overheadReport (run: OverheadRun): string {
  const of = (key: Scenario['key']) => run.results.find(r => r.key === key)
  const direct = of('direct')?.requestsPerSecond
  const nginx = of('nginx')?.requestsPerSecond
  const { halfLoad } = run
  const added = (p: PacedLatency) => ms(p.p50 - halfLoad.direct.p50)
  return [
    `Median of ${run.runs} interleaved round(s) of ${run.duration} s, 50 connections; the gateway's rate-limit store: ${run.rateLimitStore}.`,
    'The Node relay row is not a product: plain sockets, no HTTP library, no feature; it is the least a proxy written in Node costs here.',
    run.nginx ? `nginx ${run.nginx.version}: ${run.nginx.workers} worker process(es), keep-alive to the upstream, logs off (bench/nginx/nginx.conf).` : 'nginx is not installed: no nginx row (apt-get install nginx).',
    '',
    '| flow | requests/s | of direct | of nginx | p50 ms | p99 ms | CPU µs/request (proxy, or upstream when direct) | upstream CPU µs/request | errors | non-2xx |',
    '| --- | --- | --- | --- | --- | --- | --- | --- | --- | --- |',
    ...run.results.map(r => `| ${r.flow} | ${r.requestsPerSecond} | ${direct ? Math.round(100 * r.requestsPerSecond / direct) : 0}% | ${r.key === 'direct' || r.key === 'nginx' ? '-' : ratio(r.requestsPerSecond, nginx)} | ${r.p50} | ${r.p99} | ${r.cpuPerRequestUs} | ${r.upstreamCpuPerRequestUs} | ${r.errors} | ${r.non2xx} |`),
    '',
    `Gateway / nginx throughput: anonymous ${ratio(of('anonymous')?.requestsPerSecond ?? 0, nginx)}x, bearer token + rate limits ${ratio(of('bearer')?.requestsPerSecond ?? 0, nginx)}x (target >= 0.9x); ` +
      `the featureless Node relay ${ratio(of('floor')?.requestsPerSecond ?? 0, nginx)}x.`,
    `At half the gateway's saturation rate (${halfLoad.bearer.rate} req/s offered open loop, evenly spaced, bench/paced-latency.ts): p50 direct ${ms(halfLoad.direct.p50)} ms` +
      (halfLoad.nginx ? `, through nginx ${ms(halfLoad.nginx.p50)} ms (+${added(halfLoad.nginx)})` : '') +
      `, through the Node relay ${ms(halfLoad.floor.p50)} ms (+${added(halfLoad.floor)})` +
      `, through the gateway with a token ${ms(halfLoad.bearer.p50)} ms (+${added(halfLoad.bearer)}, target <= 1 ms added); ` +
      `p99 ${ms(halfLoad.direct.p99)} / ${halfLoad.nginx ? `${ms(halfLoad.nginx.p99)} / ` : ''}${ms(halfLoad.bearer.p99)} ms; ` +
      `answered ${halfLoad.direct.achieved} / ${halfLoad.nginx ? `${halfLoad.nginx.achieved} / ` : ''}${halfLoad.bearer.achieved} req/s; non-2xx ${halfLoad.bearer.non2xx}, errors ${halfLoad.bearer.errors}.`
  ].join('\n')
}
