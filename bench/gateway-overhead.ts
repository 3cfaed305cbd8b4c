// node --import tsx bench/gateway-overhead.ts: the gateway's own cost, in isolation.
// A trivial upstream (trivial-upstream.ts) and the gateway (gateway-alone.ts) each run in
// their own process, autocannon in this one; one route is measured on the upstream directly,
// through the gateway anonymously, and through it with valid bearer tokens of 100 users.
// Besides throughput, it reports the CPU time the answering process (the upstream, or the
// gateway alone) spent per request, which shared cores disturb far less than requests/s.
// The gateway uses Redis when REDIS_URL is set. BENCH_CPU_PROF=<dir> writes a CPU profile
// of the gateway process there; BENCH_RUNS and BENCH_SECONDS as in run.ts.
import { fork } from 'node:child_process'
import { randomBytes } from 'node:crypto'
import type { Options } from 'autocannon'
import { SignJWT, exportJWK, generateKeyPair } from 'jose'
import { SERVICE_PORTS, serviceUrlVariable } from '@app/kit/service'
import type { ServiceName } from '@app/kit/service'
import { measure, medianOf } from './load.ts'
import type { FlowResult } from './load.ts'

export interface OverheadResult extends FlowResult {
  /** CPU time (user + system) of the process that answered autocannon, per request, in microseconds. */
  cpuPerRequestUs: number
}

interface Child {
  url: string
  /** CPU time used so far, in microseconds. */
  cpu(): Promise<number>
  stop(): Promise<void>
}

async function startChild (script: string, env: NodeJS.ProcessEnv, execArgv: string[] = []): Promise<Child> {
  const child = fork(new URL(script, import.meta.url), [], { env, execArgv: ['--import', 'tsx', ...execArgv], stdio: 'inherit' })
  const url = await new Promise<string>((resolve, reject) => {
    child.once('message', (message) => resolve((message as { url: string }).url))
    child.once('exit', (code) => reject(new Error(`${script} exited with ${code}`)))
  })
  return {
    url,
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

async function measureOn (child: Child, flow: string, options: Options): Promise<OverheadResult> {
  const before = await child.cpu()
  const result = await measure(flow, options)
  const used = await child.cpu() - before
  return { ...result, cpuPerRequestUs: Math.round(used / Math.max(1, result.requests)) }
}

async function signingKey () {
  const { publicKey, privateKey } = await generateKeyPair('EdDSA', { extractable: true })
  const jwks = { keys: [{ ...await exportJWK(publicKey), kid: 'bench', alg: 'EdDSA', use: 'sig' }] }
  const sign = (user: number) => new SignJWT({ sid: `bench-session-${user}`, roles: ['user'] })
    .setProtectedHeader({ alg: 'EdDSA', typ: 'at+jwt', kid: 'bench' })
    .setSubject(`bench-user-${user}`).setIssuer('gatehouse').setAudience('gatehouse-api')
    .setIssuedAt().setExpirationTime('15m')
    .sign(privateKey)
  return { jwks, sign }
}

/** The keyrings production requires, the same for the gateway and the upstream that verifies its assertions. */
const keyrings = (secret: string) => Object.fromEntries(['INTERNAL_AUTH_KEYS', 'IDENTITY_KEYS', 'OTP_HMAC_KEYS', 'EVENT_SEAL_KEYS'].map(v => [v, `bench-1:${secret}`]))

function gatewayEnv (env: NodeJS.ProcessEnv, upstreamUrl: string, secret: string): NodeJS.ProcessEnv {
  const services = (Object.keys(SERVICE_PORTS) as ServiceName[]).filter(s => s !== 'gateway')
  return {
    ...env,
    ...Object.fromEntries(services.map(s => [serviceUrlVariable(s), upstreamUrl])),
    NODE_ENV: 'production',
    HOST: '127.0.0.1',
    LOG_LEVEL: env.LOG_LEVEL ?? 'warn',
    ...keyrings(secret),
    CACHE_PREFIX: `bench${randomBytes(3).toString('hex')}:`,
    // The load comes from one IP and 100 users: the limits are counted but never reached.
    GATEWAY_RATE_LIMIT_PER_MINUTE: '1000000',
    GATEWAY_USER_RATE_LIMIT_PER_MINUTE: '1000000'
  }
}

export interface OverheadOptions {
  runs: number
  duration: number
  env?: NodeJS.ProcessEnv
  /** A directory for the gateway's CPU profile. */
  cpuProfileDir?: string | undefined
}

/** Direct, anonymous through the gateway, and authenticated through it: the median run of each. */
export async function measureGatewayOverhead (options: OverheadOptions): Promise<OverheadResult[]> {
  const { runs, duration } = options
  const env = options.env ?? process.env
  const secret = randomBytes(24).toString('hex')
  const key = await signingKey()
  const upstream = await startChild('./trivial-upstream.ts', { ...env, ...keyrings(secret), BENCH_JWKS: JSON.stringify(key.jwks) })
  const gateway = await startChild('./gateway-alone.ts', gatewayEnv(env, upstream.url, secret),
    options.cpuProfileDir ? ['--cpu-prof', '--cpu-prof-dir', options.cpuProfileDir] : [])
  try {
    const path = '/api/v1/users/ping'
    const tokens = await Promise.all(Array.from({ length: 100 }, (_, i) => key.sign(i)))
    // Each connection cycles through these, prebuilt: no per-request work in the load generator.
    const authenticated = tokens.map(token => ({ method: 'GET' as const, path, headers: { authorization: `Bearer ${token}` } }))
    await measure('warm-up', { url: `${gateway.url}${path}`, requests: authenticated, duration: 2 })
    const median = (run: () => Promise<OverheadResult>) => medianOf(runs, run) as Promise<OverheadResult>
    return [
      await median(() => measureOn(upstream, 'trivial upstream directly', { url: `${upstream.url}${path}`, duration })),
      await median(() => measureOn(gateway, 'gateway -> trivial upstream, anonymous', { url: `${gateway.url}${path}`, duration })),
      await median(() => measureOn(gateway, 'gateway -> trivial upstream, bearer token (100 users)', { url: `${gateway.url}${path}`, requests: authenticated, duration }))
    ]
  } finally {
    await gateway.stop()
    await upstream.stop()
  }
}

export function overheadTable (results: OverheadResult[]): string {
  const direct = results[0]?.requestsPerSecond ?? 0
  return [
    '| flow | requests/s | of direct | p50 ms | p99 ms | CPU µs/request (answering process) | errors | non-2xx |',
    '| --- | --- | --- | --- | --- | --- | --- | --- |',
    ...results.map(r => `| ${r.flow} | ${r.requestsPerSecond} | ${direct ? Math.round(100 * r.requestsPerSecond / direct) : 0}% | ${r.p50} | ${r.p99} | ${r.cpuPerRequestUs} | ${r.errors} | ${r.non2xx} |`)
  ].join('\n')
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const results = await measureGatewayOverhead({
    runs: Number(process.env.BENCH_RUNS ?? 3),
    duration: Number(process.env.BENCH_SECONDS ?? 10),
    cpuProfileDir: process.env.BENCH_CPU_PROF
  })
  process.stdout.write(`${overheadTable(results)}\n`)
}
