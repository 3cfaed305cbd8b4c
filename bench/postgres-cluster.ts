// The benchmark's PostgreSQL: a private cluster with default settings when the server binaries
// are on the machine (initdb into a temporary folder, its own port, stopped and removed at the
// end), so every side sees the same configuration; otherwise the configured DATABASE_URL.
import { execFileSync } from 'node:child_process'
import { chownSync, existsSync, mkdtempSync, readdirSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { freePort } from './free-port.ts'

export interface BenchDatabase {
  url: string
  /** Which database this is, for the report. */
  description: string
  /** True for the private cluster: it has room for every side's pools. */
  private: boolean
  stop(): Promise<void>
}

/** The newest installed server's bin folder, e.g. /usr/lib/postgresql/15/bin. */
function serverBinaries (): string | undefined {
  const root = '/usr/lib/postgresql'
  if (!existsSync(root)) return undefined
  const versions = readdirSync(root).filter(v => existsSync(join(root, v, 'bin', 'initdb'))).sort((a, b) => Number(b) - Number(a))
  return versions[0] === undefined ? undefined : join(root, versions[0], 'bin')
}

/** PostgreSQL refuses to run as root: then initdb and the server run as the postgres user. */
function asServerUser (bin: string, args: string[]): string {
  const asRoot = process.getuid?.() === 0
  return execFileSync(asRoot ? 'runuser' : bin, asRoot ? ['-u', 'postgres', '--', bin, ...args] : args, { encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] })
}

export async function openBenchDatabase (): Promise<BenchDatabase> {
  const bin = serverBinaries()
  if (!bin) {
    const url = process.env.DATABASE_URL
    if (!url) throw new Error('no PostgreSQL server binaries (/usr/lib/postgresql/*/bin/initdb) and no DATABASE_URL')
    return { url, description: `the configured DATABASE_URL (${new URL(url).host}), its own settings`, private: false, stop: async () => {} }
  }
  const dir = mkdtempSync(join(tmpdir(), 'gatehouse-bench-pg-'))
  const remove = () => rmSync(dir, { recursive: true, force: true })
  try {
    if (process.getuid?.() === 0) {
      const uid = Number(execFileSync('id', ['-u', 'postgres'], { encoding: 'utf8' }))
      const gid = Number(execFileSync('id', ['-g', 'postgres'], { encoding: 'utf8' }))
      chownSync(dir, uid, gid)
    }
    const data = join(dir, 'data')
    asServerUser(join(bin, 'initdb'), ['-D', data, '-U', 'postgres', '--auth=trust', '-E', 'UTF8', '--no-sync'])
    const port = await freePort()
    // Defaults throughout, except room for two Gatehouse deployments (DB_CONNECTION_BUDGET 80 each) and better-auth's pool.
    const options = `-p ${port} -k ${dir} -c listen_addresses=127.0.0.1 -c max_connections=200`
    asServerUser(join(bin, 'pg_ctl'), ['-D', data, '-o', options, '-l', join(dir, 'server.log'), '-w', '-t', '60', 'start'])
    const version = asServerUser(join(bin, 'postgres'), ['--version']).trim()
    return {
      url: `postgres://postgres@127.0.0.1:${port}/postgres`,
      description: `a private cluster (${version}, initdb defaults, max_connections=200) in ${dir}, port ${port}`,
      private: true,
      stop: async () => {
        try { asServerUser(join(bin, 'pg_ctl'), ['-D', data, '-m', 'fast', '-w', '-t', '60', 'stop']) } finally { remove() }
      }
    }
  } catch (err) {
    remove()
    throw err
  }
}
