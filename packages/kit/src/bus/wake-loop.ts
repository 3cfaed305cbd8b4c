import { context, ROOT_CONTEXT } from '@opentelemetry/api'

export interface WakeLoop {
  /** Polls every `pollMs` from now on, and runs a first pass at once. */
  start(): void
  /** Runs a pass soon (now, or right after the running one). */
  wake(): void
  /** Stops polling and waits for the running pass. */
  stop(): Promise<void>
}

export interface WakeLoopOptions {
  pollMs: number
  /** One pass; resolves true when more work may be due right now (a full batch). */
  pass: () => Promise<boolean>
  /** A failed pass; the next poll or wake tries again. */
  onError: (err: unknown) => void
}

/**
 * The loop behind the outbox relay and the notification worker: passes run
 * one at a time, on a timer and whenever a commit wakes it; a wake that
 * arrives while a pass runs is never lost.
 */
export function createWakeLoop ({ pollMs, pass, onError }: WakeLoopOptions): WakeLoop {
  let timer: NodeJS.Timeout | undefined
  let stopped = false
  let again = false
  let draining: Promise<void> | undefined

  async function drain (): Promise<void> {
    // eslint-disable-next-line no-unmodified-loop-condition -- close()/stop() set it from outside
    while (again && !stopped) {
      again = false
      try {
        if (await pass()) again = true
      } catch (err) {
        onError(err)
      }
    }
  }

  function wake (): void {
    if (stopped) return
    again = true
    // Outside the trace of whoever woke it (a commit inside a request): a pass serves everyone's rows.
    draining ??= context.with(ROOT_CONTEXT, drain).finally(() => {
      draining = undefined
      // A wake that arrived while the loop was ending must not be lost.
      if (again) wake()
    })
  }

  return {
    start () {
      if (timer || stopped) return
      timer = setInterval(wake, pollMs)
      timer.unref()
      wake()
    },
    wake,
    async stop () {
      stopped = true
      clearInterval(timer)
      await draining
    }
  }
}
