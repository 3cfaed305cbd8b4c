// One build at a time per lock file: tests in parallel may each ask for a build.
import { linkSync, mkdirSync, readFileSync, renameSync, statSync, unlinkSync, writeFileSync } from 'node:fs'
import { dirname } from 'node:path'

/** The lock holds the builder's pid; a lock whose process is gone (killed mid-build) is stale. */
function holderAlive (lock) {
  let text, age
  try { text = readFileSync(lock, 'utf8'); age = Date.now() - statSync(lock).mtimeMs } catch { return false }
  const pid = Number(text)
  if (!Number.isInteger(pid) || pid <= 0) return age < 5_000 // just created, pid not written yet
  try { process.kill(pid, 0); return true } catch (err) { return err.code === 'EPERM' }
}

/**
 * Takes a dead holder's lock away without the race of two waiters both
 * unlinking: the lock is moved aside atomically, and when what was moved is
 * not the dead holder's (another waiter took the lock meanwhile) it is put
 * back, unless yet another lock exists by then (link fails on an existing name).
 */
function removeStale (lock) {
  let seen
  try { seen = readFileSync(lock, 'utf8') } catch { return }
  const aside = `${lock}.${process.pid}.stale`
  try { renameSync(lock, aside) } catch { return }
  let moved
  try { moved = readFileSync(aside, 'utf8') } catch { return }
  if (moved !== seen) { try { linkSync(aside, lock) } catch {} }
  try { unlinkSync(aside) } catch {}
}

/** Runs `fn` (sync or async) holding `lock`, waiting up to `waitMs` for another holder. */
export async function withFileLock (lock, fn, waitMs = 120_000) {
  mkdirSync(dirname(lock), { recursive: true })
  const deadline = Date.now() + waitMs
  for (;;) {
    try {
      writeFileSync(lock, String(process.pid), { flag: 'wx' })
      break
    } catch (err) {
      if (err.code !== 'EEXIST') throw err
      if (!holderAlive(lock)) { removeStale(lock); continue }
      if (Date.now() > deadline) throw new Error(`build: waited ${Math.round(waitMs / 1000)} s for ${lock}`)
      Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, 100)
    }
  }
  try { return await fn() } finally { try { unlinkSync(lock) } catch {} }
}
