import { setTimeout as delay } from 'node:timers/promises'
import { waitFor } from '@app/kit/testing'
import type { Backend, BackendProxies } from './backend-proxies.ts'
import type { Cluster, StartOptions } from './cluster.ts'
import type { GatewayClient } from './gateway-client.ts'
import type { Phase } from './phases.ts'
import { FLOWS, outcomeOf } from './request-log.ts'
import type { Flow, RequestLog } from './request-log.ts'
import type { RevocationProbe } from './revocation-probe.ts'

const CUT_MS = 15_000
// After a fault, the load must be all-ok again before the next one starts: every flow
// has succeeded since, and so have the last STEADY_RUN answers.
const STEADY_RUN = 20
const STEADY_TIMEOUT_MS = 30_000
const START_ATTEMPTS = 3

export interface ScenarioContext {
  cluster: Cluster
  backends: BackendProxies
  log: RequestLog
  /** The load's client: its in-flight count is what a SIGKILL may fail. */
  client: GatewayClient
  revocation: RevocationProbe
  /** Progress lines, as they happen. */
  say(line: string): void
}

const NEEDS: Record<Backend, readonly Flow[]> = {
  // Every flow reads or writes its service's tables.
  postgres: FLOWS,
  // Redis is a cache and a counter store: the issue asks every flow to keep working without it.
  redis: [],
  // Events go through the outbox: no request waits for the broker.
  rabbitmq: []
}

export function createScenario (ctx: ScenarioContext) {
  const { cluster, log, say } = ctx

  async function steadySince (since: number): Promise<boolean> {
    return waitFor(() => FLOWS.every(flow => log.firstOk(flow, since)) &&
      log.lastCompleted(STEADY_RUN).every(s => s.end >= since && outcomeOf(s) === 'ok'), STEADY_TIMEOUT_MS, 200)
      .then(() => true, () => false)
  }

  /** Starts an instance, again when it dies while starting, as an orchestrator would (the crash is still reported). */
  async function replace (phase: Phase, tag: string, options: StartOptions = {}): Promise<number> {
    for (let attempt = 1; ; attempt++) {
      try {
        return await cluster.start(tag, options)
      } catch (err) {
        if (attempt === START_ATTEMPTS) throw err
        phase.notes.push(`${tag} failed to start: ${String(err).split('\n')[0]}`)
        say(`  ${phase.notes.at(-1)}`)
      }
    }
  }

  /** Restarts instances that died on their own, so the next fault meets a whole platform (the crash is still reported). */
  async function reviveCrashed (phase: Phase): Promise<void> {
    for (const tag of cluster.crashed()) {
      phase.notes.push(`${tag} exited on its own; restarted`)
      say(`  ${tag} exited on its own; restarting it`)
      await replace(phase, tag)
    }
  }

  async function finish (phase: Phase, since: number): Promise<Phase> {
    phase.steady = await steadySince(since)
    if (!phase.steady) phase.notes.push(`the load was not all-ok within ${STEADY_TIMEOUT_MS / 1000} s`)
    await reviveCrashed(phase)
    phase.end = Date.now()
    previousEnd = phase.end
    say(`  ${phase.name}: done in ${((phase.end - phase.start) / 1000).toFixed(1)} s${phase.notes.length ? ` (${phase.notes.join('; ')})` : ''}`)
    return phase
  }

  let previousEnd: number | undefined
  const open = (name: string, may503: readonly Flow[] = [], failureBudget = 0): Phase => {
    say(`${name}...`)
    return { name, start: previousEnd ?? Date.now(), end: Date.now(), may503, failureBudget, steady: false, notes: [] }
  }

  return {
    /** The load before any fault: every flow must work. */
    async baseline (): Promise<Phase> {
      const phase = open('baseline')
      return finish(phase, phase.start)
    },

    /** Cuts one backend for CUT_MS, restores it and waits for the load to be all-ok again. */
    async cut (backend: Backend, name: string): Promise<Phase> {
      if (backend === 'redis') await ctx.revocation.beforeCut()
      const phase = open(name, NEEDS[backend])
      const proxy = ctx.backends.proxies[backend]
      proxy.cut()
      phase.cutAt = Date.now()
      await Promise.all([
        delay(CUT_MS),
        backend === 'redis' ? ctx.revocation.duringCut(phase.cutAt + CUT_MS - 1000) : undefined
      ])
      // At the end of the outage every instance has noticed it.
      phase.readiness = await cluster.readiness()
      const unready = Object.entries(phase.readiness).filter(([, status]) => status !== 200)
      if (unready.length > 0) phase.notes.push(`/readyz not 200 at the end of the cut: ${unready.map(([tag, status]) => `${tag} ${status}`).join(', ')}`)
      proxy.restore()
      phase.restoredAt = Date.now()
      const [done] = await Promise.all([
        finish(phase, phase.restoredAt),
        backend === 'redis' ? ctx.revocation.afterRestore() : undefined
      ])
      return done
    },

    /** SIGKILLs the instances at once and starts a replacement for each. */
    async kill (tags: string[]): Promise<Phase> {
      const phase = open(`SIGKILL ${tags.join(' + ')}`)
      // A kill between two requests proves little: strike while the load has some in flight.
      await waitFor(() => ctx.client.inFlight() > 0, 5000, 1).catch(() => undefined)
      const inFlight = ctx.client.inFlight()
      const signalledAt = Date.now()
      await Promise.all(tags.map(tag => cluster.kill(tag)))
      const goneAt = Date.now()
      const startMs = await Promise.all(tags.map(tag => replace(phase, tag)))
      // Death is not instant: until the kernel has closed the process's sockets, a request
      // sent to it is lost as surely as one it had already taken. Both count as in flight.
      const sentWhileDying = log.samples.filter(s => s.start >= signalledAt && s.start <= goneAt).length
      phase.failureBudget = inFlight + sentWhileDying
      phase.notes.push(`${inFlight} requests in flight at the signal, ${sentWhileDying} sent in the ${goneAt - signalledAt} ms until the processes were gone`)
      phase.notes.push(`replacements ready in ${startMs.map(ms => `${(ms / 1000).toFixed(1)} s`).join(', ')}`)
      return finish(phase, Date.now())
    },

    /** SIGTERM one instance at a time; its replacement is ready before the next one goes. */
    async rollingRestart (tags: string[]): Promise<Phase> {
      const phase = open(`rolling restart (SIGTERM) of ${tags.length} instances`)
      for (const tag of tags) {
        const exit = await cluster.terminate(tag)
        const startMs = await replace(phase, tag, { lastGeneration: true })
        phase.notes.push(`${tag}: exit ${exit.code ?? exit.signal} after ${exit.stopMs} ms, replacement ready in ${(startMs / 1000).toFixed(1)} s`)
        say(`  ${phase.notes.at(-1)}`)
      }
      return finish(phase, Date.now())
    }
  }
}
