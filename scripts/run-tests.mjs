// Finds every *.test.ts in the workspaces and runs them with node's test runner
// (TypeScript through tsx). Arguments filter by path substring:
//   node scripts/run-tests.mjs packages/kit services/user
import { readdirSync, statSync } from 'node:fs'
import { join, relative } from 'node:path'
import { spawnSync } from 'node:child_process'
import { availableParallelism } from 'node:os'

const root = new URL('..', import.meta.url).pathname
const roots = ['packages', 'services', 'apps', 'test']
const skip = new Set(['node_modules', 'data', '.git'])

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
const concurrency = process.env.TEST_CONCURRENCY ?? String(Math.max(2, availableParallelism()))
const backends = ['DATABASE_URL', 'REDIS_URL', 'AMQP_URL'].map(k => `${k}=${process.env[k] ? 'set' : 'embedded'}`).join(' ')
console.log(`running ${files.length} test files (concurrency ${concurrency}; ${backends})`)
const result = spawnSync(process.execPath, [
  '--import', 'tsx', '--test', `--test-concurrency=${concurrency}`, '--test-timeout=180000', ...files
], { stdio: 'inherit', cwd: root, env: { ...process.env, NODE_ENV: 'test' } })
process.exit(result.status ?? 1)
