import { after } from 'node:test'
import type { ChildProcess } from 'node:child_process'
import { freePort, processRunEnv, removeProcessRun, uniqueName, waitFor } from '@app/kit/testing'
import { spawnService, stopChildren } from '../src/separate.ts'

export const post = async (url: string, body: unknown) => {
  const res = await fetch(url, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) })
  return { status: res.status, headers: res.headers, body: await res.json().catch(() => undefined) as Record<string, unknown> }
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
