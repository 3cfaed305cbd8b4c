import type { ChildProcess } from 'node:child_process'
import { serviceUrlVariable } from '@app/kit/service'
import type { ServiceName } from '@app/kit/service'
import { processRunEnv, removeProcessRun, uniqueName, waitFor } from '@app/kit/testing'
import { spawnService } from '../../apps/platform/src/separate.ts'
import { createOutputLog } from './output-log.ts'
import { reservePorts } from './ports.ts'

/** How many instances of each service run; each one keeps its port across restarts, as a pod behind a stable address would. */
export type Layout = Partial<Record<ServiceName, number>>

export interface ProcessExit {
  tag: string
  code: number | null
  signal: NodeJS.Signals | null
  at: number
  /** The test stopped it (SIGKILL or SIGTERM); anything else is a crash. */
  caused: boolean
  /** The signal the test sent. */
  stoppedWith?: NodeJS.Signals
  /** From the signal to the exit, for an instance the test stopped. */
  stopMs?: number
}

export interface StartOptions {
  /**
   * This process runs until the end of the run, so it may delete the RabbitMQ topology
   * when it stops (BUS_EPHEMERAL). An instance stopped mid-run must not: it would delete
   * the exchange and the queues its siblings and every other service still use.
   */
  lastGeneration?: boolean
}

interface Instance {
  name: ServiceName
  tag: string
  url: string
  port: number
  child?: ChildProcess
  ephemeral: boolean
  stoppingSince?: number
  stoppedWith?: NodeJS.Signals
}

const READY_TIMEOUT_MS = 180_000
// Services without a database or bus: nothing to drop or delete.
const STATELESS = new Set<ServiceName>(['gateway'])

/**
 * Services as separate OS processes on the real servers, with several
 * instances per service on ports chosen up front, so that every `<NAME>_SERVICE_URL`
 * list is known before the first start and a replacement takes its predecessor's place.
 * Every exit is recorded; the test tells which ones it caused.
 */
export async function createCluster (layout: Layout, backendEnv: Record<string, string>, serviceEnv: Partial<Record<ServiceName, Record<string, string>>> = {}) {
  // spawnService adds a process 'exit' listener per child; a run spawns a few dozen.
  process.setMaxListeners(Math.max(process.getMaxListeners(), 64))
  const prefix = uniqueName('faults')
  const output = createOutputLog()
  const exits: ProcessExit[] = []
  const instances = new Map<string, Instance>()
  const ports = await reservePorts(Object.values(layout).reduce((sum, count) => sum + count, 0))
  for (const [name, count] of Object.entries(layout) as Array<[ServiceName, number]>) {
    for (let i = 1; i <= count; i++) {
      const port = ports.pop()!
      const tag = count > 1 ? `${name}-${i}` : name
      instances.set(tag, { name, tag, port, url: `http://127.0.0.1:${port}`, ephemeral: false })
    }
  }
  const services = Object.keys(layout) as ServiceName[]
  const urlsOf = (name: ServiceName) => [...instances.values()].filter(i => i.name === name).map(i => i.url)

  const env: Record<string, string | undefined> = { ...processRunEnv(prefix), ...backendEnv }
  for (const name of services) env[serviceUrlVariable(name)] = urlsOf(name).join(',')

  const instance = (tag: string) => {
    const found = instances.get(tag)
    if (!found) throw new Error(`no instance ${tag}`)
    return found
  }
  const running = (i: Instance) => i.child !== undefined && i.child.exitCode === null && i.child.signalCode === null

  async function start (tag: string, { lastGeneration = false }: StartOptions = {}): Promise<number> {
    const i = instance(tag)
    if (running(i)) throw new Error(`${tag} is already running`)
    const startedAt = Date.now()
    i.stoppingSince = undefined
    i.stoppedWith = undefined
    i.ephemeral = lastGeneration
    const child = spawnService(i.name, { ...env, ...serviceEnv[i.name], BUS_EPHEMERAL: String(lastGeneration), PORT: String(i.port) }, `${tag} | `, output.write)
    i.child = child
    child.once('exit', (code, signal) => {
      const caused = i.stoppingSince !== undefined
      exits.push({ tag, code, signal, at: Date.now(), caused, ...(caused ? { stoppedWith: i.stoppedWith!, stopMs: Date.now() - i.stoppingSince! } : {}) })
    })
    const exited = () => child.exitCode !== null || child.signalCode !== null
    const ready = await waitFor(() => exited() || fetch(`${i.url}/readyz`).then(r => r.ok, () => false), READY_TIMEOUT_MS, 200).then(() => true, () => false)
    if (exited()) throw new Error(`${tag} exited while starting (${child.exitCode ?? child.signalCode}):\n${output.tail(40, tag).join('\n')}`)
    if (!ready) throw new Error(`${tag} did not become ready within ${READY_TIMEOUT_MS} ms:\n${output.tail(40, tag).join('\n')}`)
    return Date.now() - startedAt
  }

  function stopWith (tag: string, signal: NodeJS.Signals): Promise<ProcessExit> {
    const i = instance(tag)
    const child = i.child
    if (!child || !running(i)) throw new Error(`${tag} is not running`)
    i.stoppingSince = Date.now()
    i.stoppedWith = signal
    return new Promise(resolve => {
      child.once('exit', () => resolve(exits.findLast(e => e.tag === tag)!))
      child.kill(signal)
    })
  }

  return {
    prefix,
    env,
    output,
    exits,
    tags: () => [...instances.keys()],
    url: (tag: string) => instance(tag).url,
    urls: urlsOf,
    /** Starts (or restarts) one instance on its port and resolves with its start-up time once `/readyz` answers 200. */
    start,
    /** SIGKILL: no graceful shutdown, in-flight work is cut off. */
    kill: (tag: string) => stopWith(tag, 'SIGKILL'),
    /** SIGTERM: the graceful shutdown an orchestrator asks for; resolves when the process has exited. */
    terminate: (tag: string) => stopWith(tag, 'SIGTERM'),
    /** Each running instance's `/readyz` status (0: no answer within 3 s). */
    async readiness (): Promise<Record<string, number>> {
      const live = [...instances.values()].filter(running)
      const statuses = await Promise.all(live.map(i => fetch(`${i.url}/readyz`, { signal: AbortSignal.timeout(3000) }).then(r => r.status, () => 0)))
      return Object.fromEntries(live.map((i, n) => [i.tag, statuses[n]!]))
    },
    /** Instances whose process is gone although the test did not stop them. */
    crashed: () => [...instances.values()].filter(i => i.child && !running(i) && i.stoppingSince === undefined).map(i => i.tag),
    /** Stops every instance gracefully, then removes the run's queues and exchanges, schemas and cache keys. */
    async stop (databaseUrl: string, redisUrl: string): Promise<void> {
      await Promise.all([...instances.values()].filter(running).map(i => stopWith(i.tag, 'SIGTERM')))
      // A run cut short never reached the last generation of some services: one
      // short-lived instance each deletes what they declared on RabbitMQ.
      const untidy = services.filter(name => !STATELESS.has(name) && ![...instances.values()].some(i => i.name === name && i.ephemeral))
      await Promise.all(untidy.map(async name => {
        const tag = [...instances.values()].find(i => i.name === name)!.tag
        await start(tag, { lastGeneration: true }).catch(() => undefined)
        if (running(instance(tag))) await stopWith(tag, 'SIGTERM')
      }))
      await removeProcessRun(prefix, services, databaseUrl, redisUrl)
    }
  }
}

export type Cluster = Awaited<ReturnType<typeof createCluster>>
