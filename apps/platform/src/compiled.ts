// How a child process runs the launcher: compiled JavaScript with plain node, never a stale build.
import { spawnSync } from 'node:child_process'
import { existsSync, readFileSync, statSync } from 'node:fs'
import { fileURLToPath } from 'node:url'

/**
 * The package.json "exports" condition that resolves workspace packages to their compiled
 * dist/ (scripts/build.mjs); without it they resolve to src/*.ts, for tsx, tests and tsc.
 */
export const DIST_CONDITION = 'gatehouse-dist'

const ROOT = fileURLToPath(new URL('../../../', import.meta.url))
const BUILD_SCRIPT = `${ROOT}scripts/build.mjs`
const STAMP = `${ROOT}apps/platform/dist/build.json`

/** True when this module runs from its TypeScript source (tsx: development, tests) rather than dist/. */
const fromSources = import.meta.url.endsWith('.ts')

/** The last build's record (scripts/build.mjs): every input's mtime and size, every output. */
interface Stamp { inputs: Array<[path: string, mtimeMs: number, size: number]>, outputs: string[] }

/**
 * Whether dist/ was built from the sources as they are now. A changed, moved or deleted
 * source (or package.json, tsconfig.base.json, build script) makes it stale; a new file
 * matters only once a changed one imports it.
 */
function buildIsCurrent (): boolean {
  let stamp: Stamp
  try { stamp = JSON.parse(readFileSync(STAMP, 'utf8')) as Stamp } catch { return false }
  return stamp.inputs.every(([path, mtimeMs, size]) => {
    const s = statSync(ROOT + path, { throwIfNoEntry: false })
    return s !== undefined && s.mtimeMs === mtimeMs && s.size === size
  }) && stamp.outputs.every(path => existsSync(ROOT + path))
}

/**
 * node's arguments to run `entry` of this app (e.g. `main`) in a child process.
 * - From dist/ (containers, `npm run start:services`): the compiled sibling, plain node.
 * - From the sources (tests, tsx): the compiled entry too, for its fast start, after bringing the
 *   build up to date (only changed files compile; nothing to do costs a few stat calls). If the
 *   build fails, the sources with tsx, and `warn` says why.
 */
export function nodeArgsFor (entry: string, warn: (line: string) => void): string[] {
  if (!fromSources) return ['--conditions=' + DIST_CONDITION, fileURLToPath(new URL(`./${entry}.js`, import.meta.url))]
  const compiled = ['--conditions=' + DIST_CONDITION, fileURLToPath(new URL(`../dist/${entry}.js`, import.meta.url))]
  if (buildIsCurrent()) return ['--enable-source-maps', ...compiled]
  const build = spawnSync(process.execPath, [BUILD_SCRIPT, '--if-stale', '--quiet'], { cwd: ROOT, encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] })
  if (build.status === 0) return ['--enable-source-maps', ...compiled]
  warn(`build failed, running ${entry} from the sources with tsx: ${(build.stderr || String(build.error)).trim()}`)
  return ['--import', 'tsx', fileURLToPath(new URL(`./${entry}.ts`, import.meta.url))]
}
