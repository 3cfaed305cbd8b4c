// Builds the console (apps/console, React + Vite) into apps/console/dist, which the gateway serves.
// Part of `npm run build` and of `npm start` (scripts/build.mjs calls it): only when an input changed
// since the last build (its sources, the typed client, the lockfile), recorded in dist/build-stamp.json.
//   node scripts/build-console.mjs [--if-stale]
import { createHash } from 'node:crypto'
import { existsSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs'
import { join, relative } from 'node:path'
import { fileURLToPath } from 'node:url'
import { withFileLock } from './build-lock.mjs'

const root = fileURLToPath(new URL('..', import.meta.url))
const app = join(root, 'apps', 'console')
const stampFile = join(app, 'dist', 'build-stamp.json')
const LOCK = join(root, 'node_modules', '.gatehouse-console-build.lock')
const skip = new Set(['node_modules', 'dist'])

function walk (dir, found = []) {
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    if (skip.has(entry.name)) continue
    const path = join(dir, entry.name)
    if (entry.isDirectory()) walk(path, found)
    else found.push(path)
  }
  return found
}

/** A digest of every input's path, size and mtime: cheap, and any edit changes it. */
function fingerprint () {
  const files = [...walk(app), ...walk(join(root, 'packages', 'client', 'src')), join(root, 'package-lock.json'), fileURLToPath(import.meta.url)]
  const hash = createHash('sha256')
  for (const file of files.sort()) {
    const s = statSync(file)
    hash.update(`${relative(root, file)}\0${s.size}\0${s.mtimeMs}\n`)
  }
  return hash.digest('hex')
}

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
    await build({ root: app, configFile: join(app, 'vite.config.ts'), logLevel: quiet ? 'error' : 'warn' })
    writeFileSync(stampFile, JSON.stringify({ fingerprint: print }))
    return { upToDate: false, ms: Math.round(performance.now() - started) }
  })
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const result = await buildConsole({ ifStale: process.argv.includes('--if-stale') })
  if (!result.upToDate) console.log(`console: built into apps/console/dist in ${result.ms} ms`)
}
