export interface InstancePoolOptions {
  /** Base URLs of one service's instances, in configuration order. */
  urls: readonly string[]
  /** Wait before the first probe of an instance marked down; it doubles after each failed probe. */
  cooldownMs: number
  /** The longest wait between two probes of a down instance. */
  maxCooldownMs?: number
  /** True when the instance can take traffic again; by default GET `<url>/readyz` answered 200. */
  probe?: (url: string) => Promise<boolean>
  now?: () => number
  /** Told when an instance leaves or rejoins the rotation. */
  onChange?: (url: string, up: boolean) => void
}

export interface InstancePool {
  readonly urls: readonly string[]
  /**
   * The next instance, round-robin over those not marked down; over all of
   * them when every one is down (trying beats failing without trying).
   * Instances in `avoid` (those that just failed) are skipped when there is another.
   */
  pick(avoid?: ReadonlySet<string> | string): string
  /** Takes an instance out of the rotation until a probe finds it ready; true when it was up until now. */
  markDown(url: string): boolean
  /**
   * A failure that may not be the instance's fault (a reset after it answered,
   * say a 413 and a closed connection): probes it now, and marks it down only
   * when the probe fails.
   */
  suspect(url: string): void
  /** An answer came from this instance: it is back even before its probe. */
  markUp(url: string): void
  /** The instances not marked down, in configuration order. */
  healthy(): string[]
  /** Stops the probe timers. */
  close(): void
}

interface Down {
  nextProbeAt: number
  failedProbes: number
  probing: boolean
  timer: NodeJS.Timeout | undefined
}

const PROBE_TIMEOUT_MS = 2000

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

/**
 * Round-robin over a service's instances with active health: an instance
 * marked down gets no traffic and is probed back in, after a cooldown that
 * backs off while it stays down. Nothing is probed while all are up.
 */
export function createInstancePool (options: InstancePoolOptions): InstancePool {
  const { urls, cooldownMs } = options
  if (urls.length === 0) throw new Error('an instance pool needs at least one URL')
  const maxCooldownMs = Math.max(options.maxCooldownMs ?? 5000, cooldownMs)
  const now = options.now ?? Date.now
  const probe = options.probe ?? readyzProbe
  const down = new Map<string, Down>()
  const suspected = new Set<string>()
  let next = 0
  let closed = false

  const setUp = (url: string) => {
    const state = down.get(url)
    if (!state) return
    clearTimeout(state.timer)
    down.delete(url)
    options.onChange?.(url, true)
  }

  function schedule (url: string, state: Down) {
    clearTimeout(state.timer)
    if (closed) return
    state.timer = setTimeout(() => probeIfDue(url), Math.max(0, state.nextProbeAt - now()))
    state.timer.unref()
  }

  function probeIfDue (url: string) {
    const state = down.get(url)
    if (!state || state.probing || closed) return
    // An injected clock may lag the timer: wait for it rather than probe early.
    if (now() < state.nextProbeAt) return schedule(url, state)
    state.probing = true
    probe(url).then(ready => ready, () => false).then(ready => {
      state.probing = false
      if (down.get(url) !== state) return
      if (ready) return setUp(url)
      state.failedProbes++
      state.nextProbeAt = now() + Math.min(cooldownMs * 2 ** state.failedProbes, maxCooldownMs)
      schedule(url, state)
    })
  }

  function markDown (url: string): boolean {
    if (down.has(url)) return false
    const state: Down = { nextProbeAt: now() + cooldownMs, failedProbes: 0, probing: false, timer: undefined }
    down.set(url, state)
    options.onChange?.(url, false)
    schedule(url, state)
    return true
  }

  /** Probes that are due start here too, so a test's clock can drive them without timers. */
  function probeDue () {
    for (const url of down.keys()) probeIfDue(url)
  }

  const avoided = (avoid: ReadonlySet<string> | string | undefined, url: string) =>
    typeof avoid === 'string' ? url === avoid : avoid?.has(url) === true

  return {
    urls,
    pick (avoid) {
      if (down.size > 0) probeDue()
      let fallback: string | undefined
      for (let i = 0; i < urls.length; i++) {
        const index = (next + i) % urls.length
        const url = urls[index]!
        if (avoided(avoid, url)) continue
        if (!down.has(url)) {
          next = index + 1
          return url
        }
        fallback ??= url
      }
      next = (next + 1) % urls.length
      return fallback ?? urls[next % urls.length]!
    },
    markDown,
    suspect (url) {
      if (down.has(url) || suspected.has(url) || closed) return
      suspected.add(url)
      probe(url).then(ready => ready, () => false).then(ready => {
        suspected.delete(url)
        if (!ready) markDown(url)
      })
    },
    markUp: setUp,
    healthy () {
      if (down.size > 0) probeDue()
      return urls.filter(url => !down.has(url))
    },
    close () {
      closed = true
      for (const state of down.values()) clearTimeout(state.timer)
    }
  }
}
