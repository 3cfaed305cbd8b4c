import { execFile } from 'node:child_process'
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { after, describe, it } from 'node:test'
import assert from 'node:assert/strict'
import { uniqueEmail } from './helper.ts'

const root = fileURLToPath(new URL('../../../', import.meta.url))
// Only a guard against a hung child: each one compiles the CLI through tsx and opens
// PGlite, which takes well over 30 s when several start together on a loaded machine.
const CHILD_TIMEOUT_MS = 240_000

/** `npm run admin -- <args>` as a child process, on embedded PGlite in `dataDir` whatever backends the tests use. */
function admin (dataDir: string, args: string[], extraEnv: Record<string, string> = {}): Promise<{ code: number, stdout: string, stderr: string }> {
  const env: Record<string, string | undefined> = { ...process.env, DATA_DIR: dataDir, USER_ARGON2_MEMORY_KIB: '1024', USER_ARGON2_TIME_COST: '1', LOG_LEVEL: 'silent', ...extraEnv }
  for (const key of ['DATABASE_URL', 'REDIS_URL', 'AMQP_URL', 'ADMIN_EMAIL', 'ADMIN_PASSWORD']) if (!(key in extraEnv)) delete env[key]
  return new Promise((resolve) => {
    execFile(process.execPath, ['--import', 'tsx', 'apps/platform/src/admin.ts', ...args], { cwd: root, env, timeout: CHILD_TIMEOUT_MS }, (err, stdout, stderr) => {
      const killed = err?.killed ? `\n(killed after ${CHILD_TIMEOUT_MS} ms without exiting)` : ''
      resolve({ code: err ? Number(err.code ?? 1) : 0, stdout, stderr: stderr + killed })
    })
  })
}

describe('npm run admin -- create', () => {
  const dir = mkdtempSync(join(tmpdir(), 'gatehouse-admin-'))
  after(() => rmSync(dir, { recursive: true, force: true }))

  it('creates an admin in the embedded data dir, then finds it already an admin; refuses bad input, bad usage and a data dir in use', async () => {
    const email = uniqueEmail('cli').toLowerCase()
    const locked = join(dir, 'locked')
    mkdirSync(join(locked, 'pglite'), { recursive: true })
    writeFileSync(join(locked, 'pglite', 'postmaster.pid'), '-42\n')
    const [created, badEmail, weak, inUse, usage] = await Promise.all([
      admin(join(dir, 'data'), ['create', '--email', email], { ADMIN_PASSWORD: 'correct horse battery' }),
      admin(join(dir, 'unused'), ['create', '--email', 'not-an-email', '--password', 'correct horse battery']),
      admin(join(dir, 'unused'), ['create', '--email', email, '--password', 'password123']),
      admin(locked, ['create', '--email', email, '--password', 'correct horse battery']),
      admin(join(dir, 'unused'), ['delete', '--email', email])
    ])
    assert.equal(created.code, 0, created.stderr)
    assert.match(created.stdout, new RegExp(`^created administrator ${email.replace(/\./g, '\\.')} \\([0-9a-f-]{36}\\)\\n$`))
    assert.equal(badEmail.code, 65)
    assert.match(badEmail.stderr, /--email must be a valid email address/)
    assert.equal(weak.code, 65)
    assert.match(weak.stderr, /common passwords/)
    assert.ok(!weak.stderr.includes('password123'), 'the password is never printed')
    assert.equal(inUse.code, 75)
    assert.match(inUse.stderr, /in use: stop the platform/)
    assert.equal(usage.code, 64)
    assert.match(usage.stderr, /^usage: npm run admin -- create/)

    const again = await admin(join(dir, 'data'), ['create', '--email', email.toUpperCase()])
    assert.equal(again.code, 0, again.stderr)
    assert.match(again.stdout, /is already an administrator/)
  })
})
