/**
 * The safety net under every test cleanup. What the testing helpers create on
 * the real servers (a schema, a key prefix, a bus's queues) is recorded here
 * before it exists and forgotten once its own cleanup removed it. Whatever is
 * still recorded when the test process ends is removed then: when the event
 * loop empties (a cleanup that threw, a before hook that failed midway, a
 * test that never cleaned up) and on SIGTERM or SIGINT (the runner ending a
 * file that ran out of time, Ctrl-C), where no after hook runs. Each removal
 * is logged with where the thing was opened, so a test that leaks is named.
 */

interface Leftover {
  what: string
  opened: string
  remove(): Promise<void>
}

const pending = new Set<Leftover>()
/** A signal's sweep is bounded: a server that does not answer must not keep a dying process alive. */
const SIGNAL_SWEEP_MS = 15_000
let installed = false
let sweeping: Promise<void> | undefined

/**
 * Records something a test created (or is about to create) on a real server,
 * with what removes it; idempotent removals only (`drop ... if exists`), as it
 * may run after a cleanup that failed halfway. Returns what forgets it again.
 */
export function trackLeftover (what: string, remove: () => Promise<void>): () => void {
  const leftover: Leftover = { what, opened: openedAt(), remove }
  pending.add(leftover)
  install()
  return () => { pending.delete(leftover) }
}

/** Removes everything still recorded; each removal's failure is logged, none stops the others. */
export function sweepLeftovers (): Promise<void> {
  sweeping ??= (async () => {
    try {
      while (pending.size > 0) {
        const batch = [...pending]
        pending.clear()
        for (const leftover of batch) {
          try {
            await leftover.remove()
            process.stderr.write(`testing: removed ${leftover.what} that its test left behind (opened ${leftover.opened})\n`)
          } catch (err) {
            process.stderr.write(`testing: could not remove ${leftover.what} (opened ${leftover.opened}): ${err instanceof Error ? err.message : String(err)}\n`)
          }
        }
      }
    } finally {
      sweeping = undefined
    }
  })()
  return sweeping
}

/** What is recorded and not yet removed (for the helpers' own tests). */
export function pendingLeftovers (): string[] {
  return [...pending].map(l => l.what)
}

function install (): void {
  if (installed) return
  installed = true
  // beforeExit fires again after the sweep's own work drained the loop: nothing is pending then.
  process.on('beforeExit', () => { if (pending.size > 0) sweepLeftovers().catch(() => {}) })
  for (const signal of ['SIGTERM', 'SIGINT'] as const) {
    process.once(signal, () => {
      const code = 128 + (signal === 'SIGTERM' ? 15 : 2)
      const timer = setTimeout(() => process.exit(code), SIGNAL_SWEEP_MS)
      timer.unref()
      sweepLeftovers().catch(() => {}).finally(() => process.exit(code))
    })
  }
}

/** The first stack frame outside this folder: the test (or helper) that opened the thing. */
function openedAt (): string {
  const here = new URL('.', import.meta.url).pathname
  const frames = (new Error().stack ?? '').split('\n').slice(1).map(l => l.trim())
  const caller = frames.find(f => !f.includes(here) && !f.includes('node:internal') && !f.includes('node_modules'))
  return caller?.replace(/^at /, '') ?? 'at an unknown place'
}
