/**
 * An internal service's port taken by another program after the launcher
 * checked it (while the services before it start) ends `npm start` with one
 * line naming that service and its port, not PORT (which moves only the
 * gateway), and exit code 78. The port is held before the start begins, so
 * nothing depends on how long the start takes.
 */
import { describe, it } from 'node:test'
import assert from 'node:assert/strict'
import { spawn } from 'node:child_process'
import { createServer } from 'node:net'
import type { AddressInfo } from 'node:net'
import { fileURLToPath } from 'node:url'

const ROOT = fileURLToPath(new URL('../../../', import.meta.url))
const SCRIPT = fileURLToPath(new URL('./internal-port-taken-process.ts', import.meta.url))

describe('npm start when an internal service\'s port is taken after the check', () => {
  it('names the service and its port in one line, and exits 78', async (t) => {
    const holder = createServer()
    await new Promise<void>((resolve, reject) => holder.once('error', reject).listen(0, '127.0.0.1', resolve))
    t.after(() => new Promise<void>(resolve => holder.close(() => resolve())))
    const port = (holder.address() as AddressInfo).port

    const child = spawn(process.execPath, ['--import', 'tsx', SCRIPT, String(port)], {
      cwd: ROOT,
      env: { PATH: process.env.PATH, NODE_ENV: 'test' },
      stdio: ['ignore', 'pipe', 'pipe']
    })
    const out: string[] = []
    const err: string[] = []
    child.stdout!.on('data', (chunk: Buffer) => out.push(chunk.toString()))
    child.stderr!.on('data', (chunk: Buffer) => err.push(chunk.toString()))
    const code = await new Promise<number | null>(resolve => child.once('exit', resolve))

    assert.equal(code, 78, err.join('') + out.join(''))
    assert.equal(err.join(''), `config error: port ${port}, which the audit service was to use inside this process, was taken by another program while the platform started; start again (a taken internal port is swapped for a free one) or stop that program\n`)
    assert.equal(out.join(''), '')
  })
})
