import { KitErrors } from '../errors/index.ts'
import { choose } from './balancing.ts'
import type { Candidate, Strategy } from './balancing.ts'
import type { Instance } from './instance-specs.ts'

/** Readiness probes of every instance on a timer, beside the passive ejection. */
export interface ActiveHealthCheck {
  intervalMs: number
  /** Consecutive failed probes that take an instance out of the rotation. */
  failures: number
  /** Consecutive passed probes that bring it back. */
  successes: number
}

export interface InstancePoolOptions {
  /** The service or upstream the pool serves, for its errors. */
  name?: string
  /** One service's instances, in configuration order; the pool may start empty (a DNS name not resolved yet). */
  instances: readonly Instance[]
  /** round-robin by default; weights only count for weighted and least-connections. */
  strategy?: Strategy
  /** Wait before the first probe of an instance marked down; it doubles after each failed probe. */
  cooldownMs: number
  /** The longest wait between two probes of a down instance. */
  maxCooldownMs?: number
  /** True when the instance can take traffic again; by default GET `<url>/readyz` answered 200. */
  probe?: (url: string) => Promise<boolean>
  /** Off when unset: only failures seen by callers take an instance out. */
  healthCheck?: ActiveHealthCheck
  now?: () => number
  /** Told when an instance leaves or rejoins the rotation. */
  onChange?: (url: string, up: boolean) => void
}

export interface InstancePool {
  /** The instances known now (in the rotation or not), in configuration order. */
  readonly urls: readonly string[]
  readonly strategy: Strategy
  /**
   * The next instance by the pool's strategy, over those in the rotation;
   * over all of them when none is (trying beats failing without trying).
   * Instances in `avoid` (those that just failed) are skipped when there is
   * another. Throws 503 `unavailable` when the pool has no instance at all.
   */
  pick(avoid?: ReadonlySet<string> | string): string
  /**
   * A request was sent to `url`: call the returned function once when its
   * response ended or failed. Least-connections counts these.
   */
  begin(url: string): () => void
  /** Takes an instance out of the rotation until a probe finds it ready; true when it was in until now. */
  markDown(url: string): boolean
  /**
   * A failure that may not be the instance's fault (a reset after it answered,
   * say a 413 and a closed connection): probes it now, and marks it down only
   * when the probe fails.
   */
  suspect(url: string): void
  /** An answer came from this instance: it is back even before its probe. */
  markUp(url: string): void
  /** The instances in the rotation, in configuration order. */
  healthy(): string[]
  /**
   * The instances are now these (discovery's latest answer). Newcomers join
   * after a readiness probe passes (or at once with `probeNewcomers: false`);
   * those no longer listed are drained: no new request goes to them, and
   * requests already sent end as they will.
   */
  update(instances: readonly Instance[], options?: { probeNewcomers?: boolean }): void
  /** One round of the active health check, now (the timer runs the same). */
  checkNow(): Promise<void>
  /** Stops the probe timers. */
  close(): void
}

interface Down {
  nextProbeAt: number
  failedProbes: number
  probing: boolean
  timer: NodeJS.Timeout | undefined
}

interface Member extends Candidate {
  url: string
  /** Passively ejected (or a newcomer not found ready yet): probed with backoff, back on the first pass. */
  down: Down | undefined
  /** Taken out by the active health check: back after enough passes in a row. */
  checkedOut: boolean
  checkFailures: number
  checkSuccesses: number
  checking: boolean
}

const PROBE_TIMEOUT_MS = 2000
const NOTHING_TO_END = () => {}

/** GET `<url>/readyz` within a timeout: ready only on 200 (503 while it drains or misses a backend). */
export async function readyzProbe (url: string): Promise<boolean> {
  try {
    const res = await fetch(`${url}/readyz`, { signal: AbortSignal.timeout(PROBE_TIMEOUT_MS) })
    await res.body?.cancel()
    return res.status === 200
  } catch {
    return false
  }
}

const inRotation = (m: Member) => m.down === undefined && !m.checkedOut

/**
 * A service's instances with health: one marked down gets no traffic and is
 * probed back in, after a cooldown that backs off while it stays down; with
 * `healthCheck`, every instance is also probed on a timer. Nothing is probed
 * passively while all are up.
 */
export function createInstancePool (options: InstancePoolOptions): InstancePool {
  const { cooldownMs } = options
  const strategy = options.strategy ?? 'round-robin'
  const maxCooldownMs = Math.max(options.maxCooldownMs ?? 5000, cooldownMs)
  const now = options.now ?? Date.now
  const probe = options.probe ?? readyzProbe
  const check = options.healthCheck
  const byUrl = new Map<string, Member>()
  const down = new Set<Member>()
  const suspected = new Set<string>()
  let members: Member[] = []
  let urls: string[] = []
  let next = 0
  let closed = false

  const current = (m: Member) => byUrl.get(m.url) === m && !closed

  function setUp (m: Member) {
    const state = m.down
    if (!state) return
    clearTimeout(state.timer)
    m.down = undefined
    down.delete(m)
    if (inRotation(m)) options.onChange?.(m.url, true)
  }

  function schedule (m: Member, state: Down) {
    clearTimeout(state.timer)
    if (closed) return
    state.timer = setTimeout(() => probeIfDue(m), Math.max(0, state.nextProbeAt - now()))
    state.timer.unref()
  }

  function probeIfDue (m: Member) {
    const state = m.down
    if (!state || state.probing || !current(m)) return
    // An injected clock may lag the timer: wait for it rather than probe early.
    if (now() < state.nextProbeAt) return schedule(m, state)
    state.probing = true
    probe(m.url).then(ready => ready, () => false).then(ready => {
      state.probing = false
      if (m.down !== state || !current(m)) return
      if (ready) return setUp(m)
      state.failedProbes++
      state.nextProbeAt = now() + Math.min(cooldownMs * 2 ** state.failedProbes, maxCooldownMs)
      schedule(m, state)
    })
  }

  function takeDown (m: Member, firstProbeAt: number) {
    const state: Down = { nextProbeAt: firstProbeAt, failedProbes: 0, probing: false, timer: undefined }
    m.down = state
    down.add(m)
    schedule(m, state)
  }

  function markDown (url: string): boolean {
    const m = byUrl.get(url)
    if (!m || m.down) return false
    const wasIn = inRotation(m)
    takeDown(m, now() + cooldownMs)
    if (wasIn) options.onChange?.(url, false)
    return wasIn
  }

  /** Probes that are due start here too, so a test's clock can drive them without timers. */
  function probeDue () {
    for (const m of down) probeIfDue(m)
  }

  const avoided = (avoid: ReadonlySet<string> | string | undefined, url: string) =>
    typeof avoid === 'string' ? url === avoid : avoid?.has(url) === true

  /** Round-robin from the rotation's position: the first instance in the rotation, else the first one not avoided. */
  function roundRobin (avoid: ReadonlySet<string> | string | undefined): string {
    let fallback: string | undefined
    for (let i = 0; i < members.length; i++) {
      const index = (next + i) % members.length
      const m = members[index]!
      if (avoided(avoid, m.url)) continue
      if (inRotation(m)) {
        next = index + 1
        return m.url
      }
      fallback ??= m.url
    }
    next = (next + 1) % members.length
    return fallback ?? members[next % members.length]!.url
  }

  function pick (avoid?: ReadonlySet<string> | string): string {
    if (down.size > 0) probeDue()
    if (members.length === 0) throw KitErrors.unavailable(`No instance of ${options.name ?? 'the service'} is known`)
    if (strategy === 'round-robin') return roundRobin(avoid)
    const candidates = members.filter(m => inRotation(m) && !avoided(avoid, m.url))
    if (candidates.length === 0) return roundRobin(avoid)
    const chosen = candidates[choose(strategy, candidates, next++ % candidates.length)]!
    if (next >= members.length) next = 0
    return chosen.url
  }

  async function checkOne (m: Member) {
    m.checking = true
    const ready = await probe(m.url).then(ok => ok, () => false)
    m.checking = false
    // A passive ejection owns the instance until its own probe brings it back.
    if (!check || !current(m) || m.down) return
    if (ready) {
      m.checkFailures = 0
      if (m.checkedOut && ++m.checkSuccesses >= check.successes) {
        m.checkedOut = false
        m.checkSuccesses = 0
        options.onChange?.(m.url, true)
      }
    } else {
      m.checkSuccesses = 0
      if (!m.checkedOut && ++m.checkFailures >= check.failures) {
        m.checkedOut = true
        m.checkFailures = 0
        options.onChange?.(m.url, false)
      }
    }
  }

  const newMember = (instance: Instance): Member => ({
    url: instance.url,
    weight: instance.weight,
    inFlight: 0,
    current: 0,
    down: undefined,
    checkedOut: false,
    checkFailures: 0,
    checkSuccesses: 0,
    checking: false
  })

  function update (instances: readonly Instance[], { probeNewcomers = true } = {}) {
    const listed: Member[] = []
    for (const instance of instances) {
      let m = byUrl.get(instance.url)
      if (m && listed.includes(m)) continue
      if (m) {
        m.weight = instance.weight
      } else {
        m = newMember(instance)
        byUrl.set(m.url, m)
        if (probeNewcomers) takeDown(m, now())
      }
      listed.push(m)
    }
    for (const m of members) {
      if (listed.includes(m)) continue
      // Drained: requests in flight still end through their own `begin` closure.
      clearTimeout(m.down?.timer)
      down.delete(m)
      byUrl.delete(m.url)
      if (inRotation(m)) options.onChange?.(m.url, false)
    }
    members = listed
    urls = listed.map(m => m.url)
  }

  update(options.instances, { probeNewcomers: false })
  const checkTimer = check ? setInterval(() => { checkNow().catch(() => {}) }, check.intervalMs).unref() : undefined

  async function checkNow () {
    await Promise.all(members.filter(m => !m.down && !m.checking).map(checkOne))
  }

  return {
    get urls () { return urls },
    strategy,
    pick,
    begin (url) {
      const m = byUrl.get(url)
      if (!m) return NOTHING_TO_END
      m.inFlight++
      let ended = false
      return () => {
        if (ended) return
        ended = true
        m.inFlight--
      }
    },
    markDown,
    suspect (url) {
      const m = byUrl.get(url)
      if (!m || m.down || suspected.has(url) || closed) return
      suspected.add(url)
      probe(url).then(ready => ready, () => false).then(ready => {
        suspected.delete(url)
        if (!ready) markDown(url)
      })
    },
    markUp (url) {
      const m = byUrl.get(url)
      if (m) setUp(m)
    },
    healthy () {
      if (down.size > 0) probeDue()
      return members.filter(inRotation).map(m => m.url)
    },
    update,
    checkNow,
    close () {
      closed = true
      clearInterval(checkTimer)
      for (const m of down) clearTimeout(m.down?.timer)
    }
  }
}
