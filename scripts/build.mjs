// npm run build: compiles every workspace's src/**/*.ts to JavaScript in the workspace's dist/,
// file for file (src/db/index.ts -> dist/db/index.js, with a source map beside it).
// dist/ sits at the same depth as src/, so paths a module builds from its own location
// (new URL('../migrations', import.meta.url), ../templates, ../data/...) hold in both.
//
// Each file is transpiled on its own (TypeScript's transpileModule: the per-file semantics of
// isolatedModules, as tsx runs them): no type check here, `npm run check` does that.
// rewriteRelativeImportExtensions turns `./x.ts` imports into `./x.js`. Workspace packages
// are imported by name; their package.json "exports" send the `gatehouse-dist` condition
// to dist/ and everything else (tsx, tests, tsc) to src/, so compiled code runs with
//   node --conditions=gatehouse-dist apps/platform/dist/main.js
//
//   node scripts/build.mjs              full build: every file again
//   node scripts/build.mjs --if-stale   only the files changed since the last build (none: ~0.1 s)
// Either way, outputs whose source is gone are removed: a dist/ holds only what the build made.
//
// The last build's inputs (path, mtime and size of every source, package.json, tsconfig.base.json
// and this script) and outputs are recorded in apps/platform/dist/build.json;
// apps/platform/src/compiled.ts reads it so that a test never runs a stale build.
// Builds are serialised by a lock file: tests in parallel may each ask for one.
import { existsSync, mkdirSync, readdirSync, readFileSync, renameSync, rmSync, statSync, writeFileSync } from 'node:fs'
import { dirname, join, relative, sep } from 'node:path'
import { fileURLToPath } from 'node:url'
import { buildConsole } from './build-console.mjs'
import { withFileLock } from './build-lock.mjs'

const root = fileURLToPath(new URL('..', import.meta.url))
export const STAMP = 'apps/platform/dist/build.json'
export const CONDITION = 'gatehouse-dist'
const LOCK = join(root, 'node_modules', '.gatehouse-build.lock')

const posix = (path) => path.split(sep).join('/')

/** Workspace folders from the root package.json ("packages/*", ...), those with a src/. */
function workspaces () {
  const globs = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')).workspaces
  return globs.flatMap(glob => {
    if (!glob.endsWith('/*')) return [glob]
    const parent = glob.slice(0, -2)
    return readdirSync(join(root, parent), { withFileTypes: true }).filter(d => d.isDirectory()).map(d => `${parent}/${d.name}`)
  // A workspace with a vite.config.ts (apps/console) is a browser app: scripts/build-console.mjs builds it.
  }).filter(ws => existsSync(join(root, ws, 'src')) && existsSync(join(root, ws, 'package.json')) && !existsSync(join(root, ws, 'vite.config.ts'))).sort()
}

function walk (dir, keep, found = []) {
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const path = join(dir, entry.name)
    if (entry.isDirectory()) walk(path, keep, found)
    else if (keep(entry.name)) found.push(path)
  }
  return found
}

const isSource = (name) => name.endsWith('.ts') && !name.endsWith('.d.ts') && !name.endsWith('.test.ts')

/** packages/kit/src/db/index.ts -> packages/kit/dist/db/index.js */
const outputOf = (source) => source.replace(/^([^/]+\/[^/]+)\/src\//, '$1/dist/').replace(/\.ts$/, '.js')

/** What a build reads: every source file, and what decides how they compile or resolve; root-relative. */
function inputs () {
  const list = workspaces()
  const sources = list.flatMap(ws => walk(join(root, ws, 'src'), isSource)).map(p => posix(relative(root, p)))
  const others = ['package.json', 'tsconfig.base.json', 'scripts/build.mjs', ...list.map(ws => `${ws}/package.json`)]
  return { workspaces: list, sources, others }
}

const stat = (p) => statSync(join(root, p), { throwIfNoEntry: false })
const same = (s, mtime, size) => s !== undefined && s.mtimeMs === mtime && s.size === size

function readStamp () {
  try { return JSON.parse(readFileSync(join(root, STAMP), 'utf8')) } catch { return undefined }
}

/** True when the recorded build's inputs are unchanged and its outputs are all there. */
export function isCurrent () {
  const stamp = readStamp()
  if (!stamp) return false
  const { sources, others } = inputs()
  const now = new Set([...sources, ...others])
  if (stamp.inputs.length !== now.size) return false // a source added or removed
  return stamp.inputs.every(([p, mtime, size]) => now.has(p) && same(stat(p), mtime, size)) &&
    stamp.outputs.every(p => existsSync(join(root, p)))
}

/** Writes a file by rename, so a process starting from dist/ meanwhile never reads half of one. */
function writeAtomic (path, text) {
  mkdirSync(dirname(path), { recursive: true })
  const tmp = `${path}.${process.pid}.tmp`
  writeFileSync(tmp, text)
  renameSync(tmp, path)
}

/** Each workspace export must be `{ "gatehouse-dist": "./dist/x.js", "default": "./src/x.ts" }`, its dist file built. */
function checkExports (list, built) {
  const problems = []
  for (const ws of list) {
    const { name, exports } = JSON.parse(readFileSync(join(root, ws, 'package.json'), 'utf8'))
    for (const [key, target] of Object.entries(exports ?? {})) {
      const conditional = typeof target === 'object' && target !== null
      const src = conditional ? target.default : target
      const expected = typeof src === 'string' ? src.replace(/^\.\/src\//, './dist/').replace(/\.ts$/, '.js') : undefined
      if (!conditional || target[CONDITION] !== expected || Object.keys(target)[0] !== CONDITION) {
        problems.push(`${name} exports["${key}"] should be { "${CONDITION}": "${expected}", "default": "${src}" }`)
      } else if (!built.has(posix(join(ws, expected)))) {
        problems.push(`${name} exports["${key}"]: ${expected} was not built (no ${src})`)
      }
    }
  }
  return problems
}

export async function build ({ ifStale = false } = {}) {
  if (ifStale && isCurrent()) return { upToDate: true } // without loading TypeScript (0.5 s)
  const ts = (await import('typescript')).default
  return withFileLock(LOCK, () => {
    if (ifStale && isCurrent()) return { upToDate: true }
    const started = performance.now()
    const { workspaces: list, sources, others } = inputs()
    for (const ws of list) {
      const type = JSON.parse(readFileSync(join(root, ws, 'package.json'), 'utf8')).type
      if (type !== 'module') throw new Error(`build: ${ws}/package.json needs "type": "module" (dist/ holds ES modules)`)
    }
    // Recorded before compiling: a file changed meanwhile makes the next check see a stale build.
    const recorded = [...sources, ...others].map(p => { const s = stat(p); return [p, s.mtimeMs, s.size] })
    // Incremental: each file compiles on its own, so an unchanged one keeps its output,
    // unless the compiler, its options or this script changed.
    const key = `typescript ${ts.version}`
    const previous = readStamp()
    const unchanged = new Set()
    if (ifStale && previous?.key === key) {
      const before = new Map(previous.inputs.map(([p, mtime, size]) => [p, [mtime, size]]))
      const settled = ['tsconfig.base.json', 'scripts/build.mjs'].every(p => { const b = before.get(p); return b && same(stat(p), ...b) })
      if (settled) {
        for (const p of sources) {
          const b = before.get(p)
          if (b && same(stat(p), ...b) && existsSync(join(root, outputOf(p)))) unchanged.add(p)
        }
      }
    }
    const config = ts.parseJsonConfigFileContent(ts.readConfigFile(join(root, 'tsconfig.base.json'), ts.sys.readFile).config, ts.sys, root)
    const compilerOptions = {
      ...config.options,
      // Every workspace is "type": "module" (checked above); transpileModule cannot read package.json.
      module: ts.ModuleKind.ESNext,
      moduleResolution: ts.ModuleResolutionKind.Bundler,
      noEmit: false,
      rewriteRelativeImportExtensions: true,
      sourceMap: true,
      declaration: false
    }
    const outputs = new Set()
    const errors = []
    for (const source of sources) {
      const out = outputOf(source)
      outputs.add(out)
      if (unchanged.has(source)) continue
      const file = join(root, source)
      const { outputText, sourceMapText, diagnostics } = ts.transpileModule(readFileSync(file, 'utf8'), { fileName: file, compilerOptions, reportDiagnostics: true })
      for (const d of diagnostics ?? []) {
        if (d.category !== ts.DiagnosticCategory.Error) continue
        const at = d.file && d.start !== undefined ? d.file.getLineAndCharacterOfPosition(d.start) : undefined
        errors.push(`${source}${at ? `:${at.line + 1}:${at.character + 1}` : ''}: ${ts.flattenDiagnosticMessageText(d.messageText, '\n')}`)
      }
      const map = JSON.parse(sourceMapText)
      map.sources = [posix(relative(dirname(join(root, out)), file))]
      writeAtomic(join(root, out), outputText)
      writeAtomic(join(root, `${out}.map`), JSON.stringify(map))
    }
    if (errors.length > 0) throw new Error(`build: ${errors.length} error(s)\n${errors.join('\n')}`)
    const problems = checkExports(list, outputs)
    if (problems.length > 0) throw new Error(`build: package exports\n${problems.join('\n')}`)
    let removed = 0
    for (const ws of list) {
      const dist = join(root, ws, 'dist')
      if (!existsSync(dist)) continue
      for (const path of walk(dist, () => true)) {
        const rel = posix(relative(root, path))
        if (!outputs.has(rel) && !outputs.has(rel.replace(/\.map$/, '')) && rel !== STAMP) { rmSync(path); removed++ }
      }
    }
    writeAtomic(join(root, STAMP), JSON.stringify({ key, inputs: recorded, outputs: [...outputs].sort() }) + '\n')
    return { compiled: sources.length - unchanged.size, files: sources.length, workspaces: list.length, removed, ms: Math.round(performance.now() - started) }
  })
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  const ifStale = process.argv.includes('--if-stale')
  const quiet = process.argv.includes('--quiet')
  try {
    const result = await build({ ifStale })
    const web = await buildConsole({ ifStale, quiet })
    if (!quiet && !web.upToDate) console.log(`build: the console built into apps/console/dist in ${web.ms} ms`)
    if (!quiet) {
      console.log(result.upToDate
        ? 'build: dist/ is up to date'
        : `build: ${result.compiled} of ${result.files} files (${result.workspaces} workspaces) compiled to dist/ in ${result.ms} ms` +
          (result.removed ? `, ${result.removed} stale outputs removed` : ''))
    }
  } catch (err) {
    console.error(err instanceof Error ? err.message : err)
    process.exit(1)
  }
}
