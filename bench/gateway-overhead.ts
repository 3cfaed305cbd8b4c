// node --import tsx bench/gateway-overhead.ts: the gateway's own cost, beside nginx's.
// A trivial upstream (trivial-upstream.ts), the gateway (gateway-alone.ts) and, when Debian's
// nginx is installed, nginx (bench/nginx/) each run in their own process, autocannon in this one.
// One route is measured on the upstream directly, through nginx, through the gateway anonymously
// (a public route beside it) and through it with valid bearer tokens of 100 users; the gateway's
// rate limits are on in both (counted on every request, set high enough never to refuse). The scenarios are interleaved in
// each round; the median round of each is kept. Besides throughput, it reports the CPU time the
// answering process (the upstream, nginx's workers, or the gateway) spent per request, which
// shared cores disturb far less than requests/s. Then, at half the gateway's saturation rate
// (autocannon's overallRate), the p50 each proxy adds over the upstream alone.
// The gateway uses Redis when REDIS_URL is set. BENCH_CPU_PROF=<dir> writes a CPU profile of the
// gateway process there; BENCH_RUNS and BENCH_SECONDS as in run.ts; BENCH_NGINX_WORKERS (1).
import { fork } from 'node:child_process'
import { randomBytes } from 'node:crypto'
import type { Options } from 'autocannon'
import { SignJWT, exportJWK, generateKeyPair } from 'jose'
import { SERVICE_PORTS, serviceUrlVariable } from '@app/kit/service'
import type { ServiceName } from '@app/kit/service'
import { overheadReport } from './gateway-overhead-report.ts'
import type { OverheadResult, OverheadRun, Scenario } from './gateway-overhead-report.ts'
import { measure } from './load.ts'
import { findNginx, startNginx } from './nginx/start-nginx.ts'
import { pacedLatency } from './paced-latency.ts'

interface Measured {
  url: string
  /** The trivial upstream's auth part (keys, ended sessions). */
  authUrl?: string
  /** CPU time used so far, in microseconds. */
  cpu(): Promise<number>
  stop(): Promise<void>
}

async function startChild (script: string, env: NodeJS.ProcessEnv, execArgv: string[] = []): Promise<Measured> {
  const child = fork(new URL(script, import.meta.url), [], { env, execArgv: ['--import', 'tsx', ...execArgv], stdio: 'inherit' })
  const { url, authUrl } = await new Promise<{ url: string, authUrl?: string }>((resolve, reject) => {
    child.once('message', (message) => resolve(message as { url: string, authUrl?: string }))
    child.once('exit', (code) => reject(new Error(`${script} exited with ${code}`)))
  })
  return {
    url,
    authUrl,
    cpu: () => new Promise<number>(resolve => {
      child.once('message', (message) => {
        const { cpu } = message as { cpu: NodeJS.CpuUsage }
        resolve(cpu.user + cpu.system)
      })
      child.send('cpu')
    }),
    stop: () => new Promise<void>(resolve => {
      child.once('exit', () => resolve())
      child.send('stop')
    })
  }
}

async function measureOn (answering: Measured, upstream: Measured, scenario: Scenario, options: Options): Promise<OverheadResult> {
  const [before, upstreamBefore] = [await answering.cpu(), await upstream.cpu()]
  const result = await measure(scenario.flow, options)
  const [used, upstreamUsed] = [await answering.cpu() - before, await upstream.cpu() - upstreamBefore]
  const per = (us: number) => Math.round(us / Math.max(1, result.requests))
  return { ...result, key: scenario.key, cpuPerRequestUs: per(used), upstreamCpuPerRequestUs: per(upstreamUsed) }
}

async function signingKey () {
  const { publicKey, privateKey } = await generateKeyPair('EdDSA', { extractable: true })
  const jwks = { keys: [{ ...await exportJWK(publicKey), kid: 'bench', alg: 'EdDSA', use: 'sig' }] }
  const sign = (user: number) => new SignJWT({ sid: `bench-session-${user}`, roles: ['user'] })
    .setProtectedHeader({ alg: 'EdDSA', typ: 'at+jwt', kid: 'bench' })
    .setSubject(`bench-user-${user}`).setIssuer('gatehouse').setAudience('gatehouse-api')
    .setJti(randomBytes(12).toString('base64url'))
    .setIssuedAt().setExpirationTime('15m')
    .sign(privateKey)
  return { jwks, sign }
}

/** The keyrings production requires, the same for the gateway and the upstream that verifies its assertions. */
const keyrings = (secret: string) => Object.fromEntries(['INTERNAL_AUTH_KEYS', 'IDENTITY_KEYS', 'OTP_HMAC_KEYS', 'EVENT_SEAL_KEYS'].map(v => [v, `bench-1:${secret}`]))

function gatewayEnv (env: NodeJS.ProcessEnv, upstreamUrl: string, authUrl: string, secret: string): NodeJS.ProcessEnv {
  const services = (Object.keys(SERVICE_PORTS) as ServiceName[]).filter(s => s !== 'gateway')
  return {
    ...env,
    ...Object.fromEntries(services.map(s => [serviceUrlVariable(s), s === 'auth' ? authUrl : upstreamUrl])),
    NODE_ENV: 'production',
    HOST: '127.0.0.1',
    LOG_LEVEL: env.LOG_LEVEL ?? 'warn',
    ...keyrings(secret),
    CACHE_PREFIX: `bench${randomBytes(3).toString('hex')}:`,
    // Every kind of limit on, each request counted against all that apply; set high
    // enough that the load (one IP, 100 users) never reaches them.
    GATEWAY_RATE_LIMITS: 'global=1000000/s burst 1000000; ip=1000000/s burst 1000000; user=1000000/s burst 1000000; group.api=1000000/s burst 1000000; group.account=1000000/s burst 1000000'
  }
}

export interface OverheadOptions {
  runs: number
  duration: number
  env?: NodeJS.ProcessEnv
  /** A directory for the gateway's CPU profile. */
  cpuProfileDir?: string | undefined
  /** nginx worker processes (the gateway is one process). */
  nginxWorkers?: number
  log?: (line: string) => void
}

const median = (results: OverheadResult[]) => [...results].sort((a, b) => a.requestsPerSecond - b.requestsPerSecond)[Math.floor(results.length / 2)]!

/** Every scenario `runs` times, interleaved; the median of each, then the half-load latencies. */
export async function measureGatewayOverhead (options: OverheadOptions): Promise<OverheadRun> {
  const { runs, duration } = options
  const log = options.log ?? (() => {})
  const env = options.env ?? process.env
  const secret = randomBytes(24).toString('hex')
  const key = await signingKey()
  const nginxFound = findNginx()
  const stops: Array<() => Promise<void>> = []
  try {
    const upstream = await startChild('./trivial-upstream.ts', { ...env, ...keyrings(secret), BENCH_JWKS: JSON.stringify(key.jwks) })
    stops.push(upstream.stop)
    const gateway = await startChild('./gateway-alone.ts', gatewayEnv(env, upstream.url, upstream.authUrl!, secret),
      options.cpuProfileDir ? ['--cpu-prof', '--cpu-prof-dir', options.cpuProfileDir] : [])
    stops.unshift(gateway.stop)
    // Node's floor: a raw TCP relay with no features, so the report can split the gateway's gap to nginx.
    const floor = await startChild('./node-relay-floor.ts', { ...env, BENCH_UPSTREAM_URL: upstream.url })
    stops.unshift(floor.stop)
    const nginx = nginxFound ? await startNginx(nginxFound.binary, nginxFound.version, upstream.url, options.nginxWorkers ?? 1) : undefined
    if (nginx) stops.unshift(nginx.stop)

    // An authenticated route (the policy table's `GET /api/v1/users/:id`); anonymous requests go to a public one.
    const path = '/api/v1/users/ping'
    const publicPath = '/api/v1/users/email-change/undo'
    const tokens = await Promise.all(Array.from({ length: 100 }, (_, i) => key.sign(i)))
    // Each connection cycles through these, prebuilt: no per-request work in the load generator.
    const authenticated = tokens.map(token => ({ method: 'GET' as const, path, headers: { authorization: `Bearer ${token}` } }))
    const scenarios: Array<{ scenario: Scenario, answering: Measured, options: Options }> = [
      { scenario: { key: 'direct', flow: 'trivial upstream directly' }, answering: upstream, options: { url: `${upstream.url}${path}` } },
      ...(nginx ? [{ scenario: { key: 'nginx' as const, flow: `${nginx.version} (${nginx.workers} worker${nginx.workers === 1 ? '' : 's'}) -> trivial upstream` }, answering: nginx, options: { url: `${nginx.url}${path}` } }] : []),
      { scenario: { key: 'floor', flow: 'Node raw TCP relay, no features (bench/node-relay-floor.ts) -> trivial upstream' }, answering: floor, options: { url: `${floor.url}${path}` } },
      { scenario: { key: 'anonymous', flow: 'gateway -> trivial upstream, anonymous' }, answering: gateway, options: { url: `${gateway.url}${publicPath}` } },
      { scenario: { key: 'bearer', flow: 'gateway -> trivial upstream, bearer token (100 users) + rate limits' }, answering: gateway, options: { url: `${gateway.url}${path}`, requests: authenticated } }
    ]
    log('warm-up')
    for (const { options } of scenarios) await measure('warm-up', { ...options, duration: 2 })
    const rounds = new Map<string, OverheadResult[]>()
    for (let round = 1; round <= runs; round++) {
      for (const { scenario, answering, options } of scenarios) {
        const result = await measureOn(answering, upstream, scenario, { ...options, duration })
        log(`round ${round}: ${scenario.flow}: ${result.requestsPerSecond} req/s, ${result.cpuPerRequestUs} µs CPU/request`)
        rounds.set(scenario.key, [...rounds.get(scenario.key) ?? [], result])
      }
    }
    const results = scenarios.map(({ scenario }) => median(rounds.get(scenario.key)!))

    // Half of what the gateway answers with a token and limits on, offered to each at the same pace.
    const rate = Math.max(1, Math.round(results.find(r => r.key === 'bearer')!.requestsPerSecond / 2))
    log(`half load: ${rate} req/s`)
    const halfLoad = {
      direct: await pacedLatency(rate, { url: `${upstream.url}${path}`, duration }),
      nginx: nginx ? await pacedLatency(rate, { url: `${nginx.url}${path}`, duration }) : undefined,
      floor: await pacedLatency(rate, { url: `${floor.url}${path}`, duration }),
      bearer: await pacedLatency(rate, { url: `${gateway.url}${path}`, requests: authenticated, duration })
    }
    return {
      results,
      halfLoad,
      nginx: nginx ? { version: nginx.version, workers: nginx.workers } : undefined,
      rateLimitStore: env.REDIS_URL ? 'Redis' : 'in-process',
      runs,
      duration
    }
  } finally {
    for (const stop of stops) await stop()
  }
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const run = await measureGatewayOverhead({
    runs: Number(process.env.BENCH_RUNS ?? 3),
    duration: Number(process.env.BENCH_SECONDS ?? 10),
    cpuProfileDir: process.env.BENCH_CPU_PROF,
    nginxWorkers: Number(process.env.BENCH_NGINX_WORKERS ?? 1),
    log: line => process.stderr.write(`[gateway-overhead] ${line}\n`)
  })
  process.stdout.write(`${overheadReport(run)}\n`)
}
