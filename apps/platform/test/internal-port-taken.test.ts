/**
 * An internal service's port taken by another program after the launcher
 * checked it (while the services before it start) ends `npm start` with one
 * line naming that service and its port, not PORT (which moves only the
 * gateway), and exit code 78. The port is held before the start begins, so
 * nothing depends on how long the start takes.
 */
import { describe, it } from 'node:test'
import assert from 'node:assert/strict'
import { fileURLToPath } from 'node:url'
import { holdPort } from '../src/port-check.ts'
import { runToExit } from './processes.ts'

const SCRIPT = fileURLToPath(new URL('./internal-port-taken-process.ts', import.meta.url))

describe('npm start when an internal service\'s port is taken after the check', () => {
  it('names the service and its port in one line, and exits 78', async (t) => {
    const { port, release } = await holdPort('127.0.0.1', 0)
    t.after(release)

    const run = await runToExit(['--import', 'tsx', SCRIPT, String(port)], { NODE_ENV: 'test' })

    assert.equal(run.code, 78, run.stderr + run.stdout)
    assert.equal(run.stderr, `config error: port ${port}, which the audit service was to use inside this process, was taken by another program while the platform started; start again (a taken internal port is swapped for a free one) or stop that program\n`)
    assert.equal(run.stdout, '')
  })
})
