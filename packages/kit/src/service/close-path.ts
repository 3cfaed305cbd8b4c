import type { Logger } from 'pino'

type Step = () => Promise<unknown> | void

/**
 * A service's shutdown, filled in as its start opens each part. `close()`
 * runs only what was added, so a start that fails part-way (a taken port, a
 * setup that throws) releases exactly what it had opened, through the same
 * path and in the same order as a normal close.
 */
export interface ClosePath {
  /** The HTTP server: closed first, so nothing new arrives while the rest stops. */
  server(step: Step): void
  /** Outgoing clients and bus subscriptions, in the order added. */
  callers(step: Step): void
  /** The service's own `onClose` hooks, in the order added; a failing one is logged. */
  hook(step: Step): void
  /** Background loops (outbox relay, retention job): stopped before the backends they use. */
  worker(step: Step): void
  /** Connections and pools: the last opened is closed first; a failing one is logged. */
  backend(step: Step): void
  /** Runs after every backend closed (deleting broker queues nothing consumes any more). */
  lastly(step: Step): void
  /**
   * Runs every step added, even after one fails; rejects with the first
   * failure of the server, callers or workers. Later calls share the first run.
   */
  close(): Promise<void>
}

export function createClosePath (log: Pick<Logger, 'error'>): ClosePath {
  const server: Step[] = []
  const callers: Step[] = []
  const hooks: Step[] = []
  const workers: Step[] = []
  const backends: Step[] = []
  const last: Step[] = []
  let closing: Promise<void> | undefined

  async function run () {
    let failure: { err: unknown } | undefined
    // Every step runs whatever failed before it: what one step leaves open, the next still releases.
    const attempt = async (steps: Step[], logAs?: string) => {
      for (const step of steps) {
        try {
          await step()
        } catch (err) {
          if (logAs) log.error({ err }, logAs)
          else failure ??= { err }
        }
      }
    }
    await attempt([...server, ...callers])
    await attempt(hooks, 'close hook failed')
    await attempt(workers)
    await attempt([...backends.reverse(), ...last], 'close failed')
    if (failure) throw failure.err
  }

  return {
    server: step => { server.push(step) },
    callers: step => { callers.push(step) },
    hook: step => { hooks.push(step) },
    worker: step => { workers.push(step) },
    backend: step => { backends.push(step) },
    lastly: step => { last.push(step) },
    close: () => (closing ??= run())
  }
}
