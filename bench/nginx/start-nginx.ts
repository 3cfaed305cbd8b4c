// Debian's nginx as the bench's reference proxy: its own process tree, a temporary
// prefix, the config next to this file with the ports and worker count filled in.
import { spawn, spawnSync } from 'node:child_process'
import { mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs'
import { connect } from 'node:net'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { freePort } from '../free-port.ts'

export interface RunningNginx {
  url: string
  workers: number
  version: string
  /** CPU time (user + system) of the master and its workers so far, in microseconds. */
  cpu(): Promise<number>
  stop(): Promise<void>
}

const NGINX_BINARIES = ['/usr/sbin/nginx', '/usr/local/sbin/nginx', '/usr/bin/nginx']

/** The nginx binary and its version line, or undefined when none is installed. */
export function findNginx (): { binary: string, version: string } | undefined {
  for (const binary of NGINX_BINARIES) {
    const probe = spawnSync(binary, ['-v'], { encoding: 'utf8' })
    if (probe.status === 0) return { binary, version: probe.stderr.trim().replace(/^nginx version: /, '') }
  }
  return undefined
}

const TICKS_PER_SECOND = Number(spawnSync('getconf', ['CLK_TCK'], { encoding: 'utf8' }).stdout.trim()) || 100

/** utime + stime of one process from /proc, in microseconds; with its parent pid. */
function procStat (pid: string): { ppid: number, cpuUs: number } | undefined {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8')
    // The command name may hold spaces: the fields after it are positional.
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ')
    return { ppid: Number(fields[1]), cpuUs: (Number(fields[11]) + Number(fields[12])) * 1e6 / TICKS_PER_SECOND }
  } catch {
    return undefined
  }
}

function treeCpuUs (master: number): number {
  let total = procStat(String(master))?.cpuUs ?? 0
  for (const pid of readdirSync('/proc')) {
    if (!/^\d+$/.test(pid)) continue
    const stat = procStat(pid)
    if (stat?.ppid === master) total += stat.cpuUs
  }
  return total
}

async function waitForPort (port: number, deadline: number): Promise<void> {
  while (Date.now() < deadline) {
    const open = await new Promise<boolean>(resolve => {
      const socket = connect(port, '127.0.0.1', () => { socket.end(); resolve(true) })
      socket.once('error', () => resolve(false))
    })
    if (open) return
    await new Promise(resolve => setTimeout(resolve, 50))
  }
  throw new Error(`nginx did not listen on ${port}`)
}

/** Starts nginx in front of `upstreamUrl` (http://host:port) with `workers` worker processes. */
export async function startNginx (binary: string, version: string, upstreamUrl: string, workers: number): Promise<RunningNginx> {
  const prefix = mkdtempSync(join(tmpdir(), 'bench-nginx-'))
  const port = await freePort()
  const config = readFileSync(new URL('./nginx.conf', import.meta.url), 'utf8')
    .replaceAll('{{PREFIX}}', prefix)
    .replaceAll('{{WORKERS}}', String(workers))
    .replaceAll('{{PORT}}', String(port))
    .replaceAll('{{UPSTREAM}}', new URL(upstreamUrl).host)
  const configPath = join(prefix, 'nginx.conf')
  writeFileSync(configPath, config)
  // -e: the early error log too, before the config's own is open.
  const child = spawn(binary, ['-p', prefix, '-c', configPath, '-e', 'stderr'], { stdio: ['ignore', 'inherit', 'inherit'] })
  const exited = new Promise<void>(resolve => child.once('exit', () => resolve()))
  try {
    await Promise.race([waitForPort(port, Date.now() + 10_000), exited.then(() => { throw new Error('nginx exited at start') })])
  } catch (err) {
    child.kill('SIGKILL')
    rmSync(prefix, { recursive: true, force: true })
    throw err
  }
  return {
    url: `http://127.0.0.1:${port}`,
    workers,
    version,
    cpu: async () => treeCpuUs(child.pid!),
    stop: async () => {
      // SIGQUIT: graceful shutdown of the master and its workers.
      child.kill('SIGQUIT')
      await exited
      rmSync(prefix, { recursive: true, force: true })
    }
  }
}
