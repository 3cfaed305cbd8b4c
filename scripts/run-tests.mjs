// Finds every *.test.ts in the workspaces and runs them with node's test runner
// (TypeScript through tsx). Arguments filter by path substring:
//   node scripts/run-tests.mjs packages/kit services/user
// Tests import the TypeScript sources. Services a test starts in their own process
// (spawnService) run the compiled build, which is brought up to date here first
// (scripts/build.mjs --if-stale: only changed files compile), so no child runs stale code.
import { readdirSync, statSync } from 'node:fs'
import { join, relative } from 'node:path'
import { spawnSync } from 'node:child_process'
import { availableParallelism } from 'node:os'
import { build } from './build.mjs'
import { buildConsole } from './build-console.mjs'

const root = new URL('..', import.meta.url).pathname
const roots = ['packages', 'services', 'apps', 'test']
const skip = new Set(['node_modules', 'data', '.git', 'dist'])

function walk (dir, found) {
  for (const name of readdirSync(dir)) {
    if (skip.has(name)) continue
    const path = join(dir, name)
    if (statSync(path).isDirectory()) walk(path, found)
    else if (name.endsWith('.test.ts')) found.push(relative(root, path))
  }
  return found
}

const filters = process.argv.slice(2)
const files = roots.flatMap(r => { try { return walk(join(root, r), []) } catch { return [] } })
  .filter(f => filters.length === 0 || filters.some(x => f.includes(x)))
  .sort()
if (files.length === 0) {
  console.error('no test files matched', filters)
  process.exit(1)
}
try {
  const built = await build({ ifStale: true })
  if (!built.upToDate) console.log(`build: ${built.compiled} of ${built.files} files compiled to dist/ in ${built.ms} ms`)
  const web = await buildConsole({ ifStale: true, quiet: true })
  if (!web.upToDate) console.log(`build: the console built in ${web.ms} ms`)
} catch (err) {
  // A file that does not compile fails its own tests; the others still run, and services they
  // start in their own process run from the sources with tsx (spawnService says so).
  console.error(err instanceof Error ? err.message : err)
}
const concurrency = process.env.TEST_CONCURRENCY ?? String(Math.max(2, availableParallelism()))
const backends = ['DATABASE_URL', 'REDIS_URL', 'AMQP_URL'].map(k => `${k}=${process.env[k] ? 'set' : 'embedded'}`).join(' ')
console.log(`running ${files.length} test files (concurrency ${concurrency}; ${backends})`)
// On Node 20 --test-timeout bounds each test file's whole run (hooks, every test and
// the process's exit), not each test: a file that hangs fails by name when it is
// spent. Files that start the platform or a fleet of processes several times need
// minutes on a loaded machine, so the budget is only there to end a hang.
const fileTimeoutMs = process.env.TEST_FILE_TIMEOUT_MS ?? '600000'
const result = spawnSync(process.execPath, [
  '--import', 'tsx', '--test', `--test-concurrency=${concurrency}`, `--test-timeout=${fileTimeoutMs}`, ...files
], { stdio: 'inherit', cwd: root, env: { ...process.env, NODE_ENV: 'test' } })
process.exit(result.status ?? 1)
