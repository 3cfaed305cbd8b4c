import { spawn } from 'node:child_process'
import { fileURLToPath } from 'node:url'

const SCRIPT = fileURLToPath(new URL('./upstream-process.ts', import.meta.url))

export interface UpstreamEvent {
  event: 'listening' | 'connection' | 'arrived' | 'closed' | 'answered'
  id?: string
  port?: number
  /** A connection's number, in order of arrival. */
  n?: number
  /** The number of the connection a request arrived on. */
  connection?: number
}

/** Starts upstream-process.ts in its own process; resolves once it listens, then collects what it reports. */
export async function startUpstreamProcess () {
  const events: UpstreamEvent[] = []
  const waiters = new Set<{ match: (e: UpstreamEvent) => boolean, resolve: (e: UpstreamEvent) => void }>()
  const child = spawn(process.execPath, ['--import', 'tsx', SCRIPT], { stdio: ['pipe', 'pipe', 'inherit'] })
  const kill = () => { child.kill('SIGKILL') }
  process.once('exit', kill)
  let buffered = ''
  child.stdout.on('data', (chunk: Buffer) => {
    buffered += chunk.toString()
    const lines = buffered.split('\n')
    buffered = lines.pop() ?? ''
    for (const line of lines) {
      const event = JSON.parse(line) as UpstreamEvent
      events.push(event)
      for (const waiter of waiters) {
        if (!waiter.match(event)) continue
        waiters.delete(waiter)
        waiter.resolve(event)
      }
    }
  })
  /** The first event (seen or to come) that `match`es: a positive signal, bounded by the test's timeout. */
  const waitFor = (match: (e: UpstreamEvent) => boolean) => new Promise<UpstreamEvent>(resolve => {
    const seen = events.find(match)
    if (seen) resolve(seen)
    else waiters.add({ match, resolve })
  })
  const listening = await Promise.race([
    waitFor(e => e.event === 'listening'),
    new Promise<never>((_resolve, reject) => child.once('exit', code => reject(new Error(`the upstream process exited (${code})`))))
  ])
  return {
    url: `http://127.0.0.1:${listening.port}`,
    events,
    waitFor,
    /** Resolves when the request `?id=` reached the instance. */
    arrived: (id: string) => waitFor(e => e.event === 'arrived' && e.id === id),
    /** Resolves when the instance saw the request `?id=` closed unanswered. */
    closed: (id: string) => waitFor(e => e.event === 'closed' && e.id === id),
    /** Resolves when the instance answered the request `?id=` (reported after everything it saw before). */
    answered: (id: string) => waitFor(e => e.event === 'answered' && e.id === id),
    /** The ids of every request that reached the instance. */
    arrivals: () => events.filter(e => e.event === 'arrived').map(e => e.id),
    stop: () => new Promise<void>(resolve => {
      process.removeListener('exit', kill)
      if (child.exitCode !== null) return resolve()
      child.once('exit', () => resolve())
      child.stdin.end()
    })
  }
}

export type UpstreamProcess = Awaited<ReturnType<typeof startUpstreamProcess>>
