import { spawn } from 'node:child_process'
import type { ChildProcess } from 'node:child_process'
import type { Env } from '@app/kit/config'
import { SERVICE_PORTS, serviceUrlVariable } from '@app/kit/service'
import { nodeArgsFor } from './compiled.ts'
import { persistedServiceSecret } from './service-secret.ts'
import { SERVICE_NAMES } from './services.ts'

const running = new Set<ChildProcess>()
const killRunning = () => { for (const child of running) child.kill('SIGKILL') }

/**
 * One service in its own OS process (`SERVICE=<name>`), its output line by line with a prefix.
 * The child runs the compiled launcher with plain node (compiled.ts: from the sources, the
 * build is brought up to date first, so it never runs stale code).
 */
export function spawnService (name: string, env: Env, prefix: string, write: (line: string) => void): ChildProcess {
  const child = spawn(process.execPath, nodeArgsFor('main', line => write(prefix + line)), {
    env: { ...env, SERVICE: name },
    stdio: ['ignore', 'pipe', 'pipe']
  })
  // Never outlive the launcher (or a test run that timed out): no orphans holding ports and queues.
  // One exit listener for all children (one each went over node's limit of 10 and warned).
  if (running.size === 0) process.once('exit', killRunning)
  running.add(child)
  child.once('exit', () => {
    running.delete(child)
    if (running.size === 0) process.removeListener('exit', killRunning)
  })
  for (const stream of [child.stdout, child.stderr]) {
    let buffered = ''
    stream.on('data', (chunk: Buffer) => {
      buffered += chunk.toString()
      const lines = buffered.split('\n')
      buffered = lines.pop() ?? ''
      for (const line of lines) write(prefix + line)
    })
  }
  return child
}

/** Stops child processes gracefully (SIGTERM) and waits for them. */
export async function stopChildren (children: ChildProcess[]): Promise<void> {
  await Promise.all(children.map(child => new Promise<void>(resolve => {
    // A child killed by a signal has no exit code, only a signal code.
    if (child.exitCode !== null || child.signalCode !== null) return resolve()
    child.once('exit', () => resolve())
    child.kill('SIGTERM')
  })))
}

/**
 * Each service in its own OS process on the real PostgreSQL, Redis and
 * RabbitMQ from the environment (required: events must cross processes).
 * Output is prefixed with the service name. Stops them all on Ctrl-C.
 */
export function startSeparate (rawEnv: Env, write: (line: string) => void): { children: ChildProcess[], stop(): Promise<void> } {
  const env: Env = { ...rawEnv, REQUIRE_EXTERNAL_BACKENDS: 'true', SERVICE_SECRET: rawEnv.SERVICE_SECRET ?? persistedServiceSecret(rawEnv.DATA_DIR || './data') }
  // SERVICE_PORT_OFFSET moves every default port, to run a second copy beside a first.
  const offset = Number(rawEnv.SERVICE_PORT_OFFSET ?? 0)
  const portOf = (name: keyof typeof SERVICE_PORTS) => SERVICE_PORTS[name] + offset
  for (const name of SERVICE_NAMES) {
    env[serviceUrlVariable(name)] ??= `http://127.0.0.1:${portOf(name)}`
  }
  const children = SERVICE_NAMES.map(name => {
    const port = name === 'gateway' && rawEnv.PORT ? rawEnv.PORT : String(portOf(name))
    return spawnService(name, { ...env, PORT: port }, `${name.padEnd(18)}| `, write)
  })
  const stop = () => stopChildren(children)
  return { children, stop }
}
