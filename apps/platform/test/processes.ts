import { after } from 'node:test'
import { spawn } from 'node:child_process'
import type { ChildProcess } from 'node:child_process'
import { once } from 'node:events'
import { fileURLToPath } from 'node:url'
import { freePort, processRunEnv, removeProcessRun, uniqueName, waitFor } from '@app/kit/testing'
import { spawnService, stopChildren } from '../src/separate.ts'

export const post = async (url: string, body: unknown) => {
  const res = await fetch(url, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) })
  return { status: res.status, headers: res.headers, body: await res.json().catch(() => undefined) as Record<string, unknown> }
}

const ROOT = fileURLToPath(new URL('../../../', import.meta.url))

export interface Finished {
  /** The exit code; null when a signal ended it. */
  code: number | null
  stdout: string
  stderr: string
}

/** SIGKILL to every process of the child's group (it leads one: spawned `detached`); none left is fine. */
function killGroup (child: ChildProcess): void {
  if (child.pid === undefined) return
  try {
    process.kill(-child.pid!, 'SIGKILL')
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code !== 'ESRCH') throw err
  }
}

/**
 * Runs `node <args>` from the repository root with `env` (and PATH) alone, to
 * its end: its exit code and all it wrote. One still running after `limitMs`
 * fails the run instead of hanging it. Whatever ends, the child's process
 * group is killed (no grandchild outlives it holding a port or the output
 * pipes) and both pipes are closed, so nothing of the run keeps the test
 * process alive.
 */
export async function runToExit (args: string[], env: Record<string, string>, limitMs = 120_000): Promise<Finished> {
  const child = spawn(process.execPath, args, { cwd: ROOT, env: { PATH: process.env.PATH, ...env }, stdio: ['ignore', 'pipe', 'pipe'], detached: true })
  let stdout = ''
  let stderr = ''
  child.stdout!.setEncoding('utf8').on('data', (text: string) => { stdout += text })
  child.stderr!.setEncoding('utf8').on('data', (text: string) => { stderr += text })
  // 'close': exited and its pipes drained (the whole output is in); a failed spawn rejects.
  const closed = once(child, 'close') as Promise<[number | null]>
  closed.catch(() => {}) // the same failure rejects the wait for 'exit' below
  let timer: NodeJS.Timeout | undefined
  const limit = new Promise<'limit'>(resolve => { timer = setTimeout(resolve, limitMs, 'limit') })
  try {
    // A child that exits leaves its pipes open only through a process it started: that one goes with the group.
    await Promise.race([once(child, 'exit'), limit])
    killGroup(child)
    const ended = await Promise.race([closed, limit])
    if (ended === 'limit') throw new Error(`node ${args.join(' ')} still running after ${limitMs / 1000} s\n${stderr}${stdout}`)
    return { code: ended[0], stdout, stderr }
  } finally {
    clearTimeout(timer)
    killGroup(child)
    child.stdout!.destroy()
    child.stderr!.destroy()
  }
}

export const REAL_SERVERS = Boolean(process.env.DATABASE_URL && process.env.REDIS_URL && process.env.AMQP_URL)

/**
 * Services as separate OS processes on the real servers, sharing one fresh
 * schema prefix, cache prefix and bus prefix. On stop, every child deletes
 * the queues it declared (BUS_EPHEMERAL) and the schemas are dropped.
 */
export function useProcesses () {
  const prefix = uniqueName('proc')
  const children: ChildProcess[] = []
  const byTag = new Map<string, ChildProcess>()
  const services = new Set<string>()
  const output: string[] = []
  const env: Record<string, string | undefined> = { ...processRunEnv(prefix), BUS_EPHEMERAL: 'true' }

  after(async () => {
    await stopChildren(children)
    await removeProcessRun(prefix, services, process.env.DATABASE_URL!, process.env.REDIS_URL!)
  })

  return {
    env,
    output,
    /** Starts one instance on a free port and resolves with its URL once `/readyz` answers. */
    async start (name: string, tag: string, extra: Record<string, string> = {}): Promise<string> {
      const port = await freePort()
      services.add(name)
      const child = spawnService(name, { ...env, ...extra, PORT: String(port) }, `${tag} | `, line => output.push(line))
      children.push(child)
      byTag.set(tag, child)
      const url = `http://127.0.0.1:${port}`
      // A generous bound (start-up takes tens of seconds under load), but a child that exits fails at once.
      let onExit: (() => void) | undefined
      const exited = new Promise<never>((_resolve, reject) => {
        onExit = () => reject(new Error(`${tag} exited (${child.signalCode ?? child.exitCode}) before it was ready`))
        child.once('exit', onExit)
      })
      try {
        await Promise.race([waitFor(() => fetch(`${url}/readyz`).then(r => r.ok, () => false), 180_000, 200), exited])
      } catch (err) {
        throw new Error(`${tag} did not become ready: ${err}\n${output.join('\n')}`)
      } finally {
        child.off('exit', onExit!)
      }
      return url
    },
    /** Kills an instance the hard way (SIGKILL): no graceful shutdown, in-flight work is cut off. */
    async kill (tag: string): Promise<void> {
      const child = byTag.get(tag)
      if (!child || child.exitCode !== null || child.signalCode !== null) return
      await new Promise<void>(resolve => { child.once('exit', () => resolve()); child.kill('SIGKILL') })
    }
  }
}
