// Builds the console (apps/console, React + Vite) into apps/console/dist, which the gateway serves.
// Part of `npm run build` and of `npm start` (scripts/build.mjs calls it): only when an input changed
// since the last build (its sources, the typed client, the shared return-address rule, the lockfile), recorded in dist/build-stamp.json.
// A build goes to a folder of its own and replaces dist/ only when complete, keeping the previous
// build's hashed files beside the new ones: a running gateway never serves a page whose scripts
// are gone, even while a test run rebuilds the console under it.
//   node scripts/build-console.mjs [--if-stale]
import { createHash } from 'node:crypto'
import { cpSync, existsSync, readdirSync, readFileSync, renameSync, rmSync, statSync, writeFileSync } from 'node:fs'
import { join, relative } from 'node:path'
import { fileURLToPath } from 'node:url'
import { withFileLock } from './build-lock.mjs'

const root = fileURLToPath(new URL('..', import.meta.url))
const app = join(root, 'apps', 'console')
const dist = join(app, 'dist')
const stampFile = join(dist, 'build-stamp.json')
const LOCK = join(root, 'node_modules', '.gatehouse-console-build.lock')
const skip = new Set(['node_modules', 'dist'])

function walk (dir, found = []) {
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    if (skip.has(entry.name) || entry.name.startsWith('dist.')) continue
    const path = join(dir, entry.name)
    if (entry.isDirectory()) walk(path, found)
    else found.push(path)
  }
  return found
}

/** A digest of every input's path, size and mtime: cheap, and any edit changes it. */
function fingerprint () {
  const files = [...walk(app), ...walk(join(root, 'packages', 'client', 'src')), join(root, 'packages', 'contracts', 'src', 'return-addresses.ts'), join(root, 'package-lock.json'), fileURLToPath(import.meta.url)]
  const hash = createHash('sha256')
  for (const file of files.sort()) {
    const s = statSync(file)
    hash.update(`${relative(root, file)}\0${s.size}\0${s.mtimeMs}\n`)
  }
  return hash.digest('hex')
}

const readStamp = (file) => { try { return JSON.parse(readFileSync(file, 'utf8')) } catch { return undefined } }

const current = (print) => {
  try { return JSON.parse(readFileSync(stampFile, 'utf8')).fingerprint === print && existsSync(join(app, 'dist', 'index.html')) } catch { return false }
}

export async function buildConsole ({ ifStale = false, quiet = false } = {}) {
  if (ifStale && current(fingerprint())) return { upToDate: true }
  return withFileLock(LOCK, async () => {
    const print = fingerprint()
    if (ifStale && current(print)) return { upToDate: true }
    const started = performance.now()
    const { build } = await import('vite')
    const next = `${dist}.next-${process.pid}`
    rmSync(next, { recursive: true, force: true })
    await build({ root: app, configFile: join(app, 'vite.config.ts'), logLevel: quiet ? 'error' : 'warn', build: { outDir: next, emptyOutDir: true } })
    const assets = readdirSync(join(next, 'assets'))
    // The previous build's own files stay one more build (never older ones: dist/ does not grow).
    for (const name of readStamp(stampFile)?.assets ?? []) {
      const from = join(dist, 'assets', name)
      if (existsSync(from) && !existsSync(join(next, 'assets', name))) cpSync(from, join(next, 'assets', name))
    }
    writeFileSync(join(next, 'build-stamp.json'), JSON.stringify({ fingerprint: print, assets }))
    const old = `${dist}.old-${process.pid}`
    if (existsSync(dist)) renameSync(dist, old)
    renameSync(next, dist)
    rmSync(old, { recursive: true, force: true })
    return { upToDate: false, ms: Math.round(performance.now() - started) }
  })
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const result = await buildConsole({ ifStale: process.argv.includes('--if-stale') })
  if (!result.upToDate) console.log(`console: built into apps/console/dist in ${result.ms} ms`)
}
