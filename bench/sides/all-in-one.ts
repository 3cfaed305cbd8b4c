// Gatehouse all-in-one (every service in one process, compiled, as `npm start`), in a child process.
import { fork, spawnSync } from 'node:child_process'
import { fileURLToPath } from 'node:url'
import type { GatehouseDb } from './gatehouse-db.ts'
import { gatehouseFlows } from './gatehouse-flows.ts'
import type { GatehouseFlows } from './gatehouse-flows.ts'
import type { Side } from './side.ts'

const ROOT = fileURLToPath(new URL('../../', import.meta.url))

/** `npm run build` when the sources changed since the last build: the platform runs compiled. */
export function buildIfStale (): void {
  const build = spawnSync(process.execPath, ['scripts/build.mjs', '--if-stale', '--quiet'], { cwd: ROOT, encoding: 'utf8' })
  if (build.status !== 0) throw new Error(`npm run build failed: ${build.stderr || String(build.error)}`)
}

export interface StartedGatehouse extends Side, Pick<GatehouseFlows, 'buyerToken' | 'buyerEmail'> {
  gatewayUrl: string
  db: GatehouseDb
  backends: string
}

export async function startAllInOne (env: Record<string, string>, openDb: () => Promise<GatehouseDb>, prefix: string): Promise<StartedGatehouse> {
  // BENCH_CPU_PROF=<folder>: the platform writes a V8 CPU profile there when it stops (node --cpu-prof).
  const profile = process.env.BENCH_CPU_PROF ? ['--cpu-prof', `--cpu-prof-dir=${process.env.BENCH_CPU_PROF}`] : []
  const child = fork(new URL('./all-in-one-child.mjs', import.meta.url), [], { env, execArgv: ['--conditions=gatehouse-dist', '--enable-source-maps', ...profile], stdio: 'inherit' })
  const started = await new Promise<{ gatewayUrl: string, urls: Record<string, string>, backends: { db: string, cache: string, bus: string } }>((resolve, reject) => {
    child.once('message', message => resolve(message as never))
    child.once('exit', code => reject(new Error(`the all-in-one platform exited with ${code} while starting`)))
  })
  const db = await openDb()
  const { flows, buyerToken, buyerEmail } = await gatehouseFlows({ gatewayUrl: started.gatewayUrl, userUrl: started.urls.user!, db, prefix, serviceSecret: env.SERVICE_SECRET! })
  return {
    key: 'all-in-one',
    gatewayUrl: started.gatewayUrl,
    title: 'Gatehouse all-in-one',
    flows,
    buyerToken,
    buyerEmail,
    db,
    backends: `${started.backends.db}; ${started.backends.cache} cache; ${started.backends.bus} bus`,
    processes: () => [{ name: 'all-in-one', pid: child.pid! }],
    drain: () => db.drain(),
    stop: async () => {
      await db.close()
      if (child.exitCode !== null || child.signalCode !== null) return
      await new Promise<void>(resolve => {
        child.once('exit', () => resolve())
        child.send('stop')
      })
    }
  }
}
