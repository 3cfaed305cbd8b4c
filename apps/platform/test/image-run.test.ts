/**
 * The compiled output run the way the image runs it (Dockerfile CMD and HEALTHCHECK,
 * WORKDIR = the repository's layout): `node --conditions=gatehouse-dist
 * apps/platform/dist/main.js` in production mode, and the health check script
 * against it. The service is notification in an email-only deployment: SMTP and
 * no SMS provider, which production refused before SMS_ENABLED existed.
 */
import { after, describe, it } from 'node:test'
import assert from 'node:assert/strict'
import { spawn, spawnSync } from 'node:child_process'
import type { ChildProcess } from 'node:child_process'
import { randomBytes } from 'node:crypto'
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { freePort, processRunEnv, removeProcessRun, uniqueName, waitFor } from '@app/kit/testing'
import { nodeArgsFor } from '../src/compiled.ts'

const ROOT = fileURLToPath(new URL('../../../', import.meta.url))
const IMAGE_CMD = ['--conditions=gatehouse-dist', 'apps/platform/dist/main.js']
const HEALTHCHECK = 'apps/platform/dist/healthcheck.js'
const REAL_SERVERS = Boolean(process.env.DATABASE_URL && process.env.REDIS_URL && process.env.AMQP_URL)

const key = () => `k1:${randomBytes(32).toString('hex')}`
const prefix = uniqueName('image')
const dataDir = mkdtempSync(join(tmpdir(), 'gatehouse-image-'))

/** The image's ENV, production keyrings, SMTP (never reached: nothing is sent) and SMS off. */
function imageEnv (port: number, extra: Record<string, string> = {}): Record<string, string | undefined> {
  const backends = REAL_SERVERS
    ? { ...processRunEnv(prefix), REQUIRE_EXTERNAL_BACKENDS: 'true', BUS_EPHEMERAL: 'true' }
    : { PATH: process.env.PATH, REQUIRE_EXTERNAL_BACKENDS: 'false', DATA_DIR: dataDir }
  return {
    ...backends,
    NODE_ENV: 'production',
    HOST: '0.0.0.0',
    PORT: String(port),
    SERVICE: 'notification',
    LOG_LEVEL: 'info',
    SERVICE_SECRET: undefined,
    INTERNAL_AUTH_KEYS: key(),
    IDENTITY_KEYS: key(),
    OTP_HMAC_KEYS: key(),
    EVENT_SEAL_KEYS: key(),
    NOTIFY_SMTP_HOST: '127.0.0.1',
    NOTIFY_SMTP_PORT: '2525',
    NOTIFY_SMTP_FROM: 'Gatehouse <no-reply@example.com>',
    USER_SERVICE_URL: 'http://127.0.0.1:9',
    SMS_ENABLED: 'false',
    ...extra
  }
}

function healthcheck (env: Record<string, string | undefined>, path?: string): number | null {
  return spawnSync(process.execPath, [HEALTHCHECK, ...(path ? [path] : [])], { cwd: ROOT, env, stdio: 'ignore', timeout: 15_000 }).status
}

const children: ChildProcess[] = []
after(async () => {
  for (const child of children) {
    if (child.exitCode === null && child.signalCode === null) {
      await new Promise(resolve => { child.once('exit', resolve); child.kill('SIGKILL') })
    }
  }
  if (REAL_SERVERS) await removeProcessRun(prefix, ['notification'], process.env.DATABASE_URL!, process.env.REDIS_URL!)
  rmSync(dataDir, { recursive: true, force: true })
})

function start (env: Record<string, string | undefined>) {
  const child = spawn(process.execPath, IMAGE_CMD, { cwd: ROOT, env, stdio: ['ignore', 'pipe', 'pipe'] })
  children.push(child)
  const output: string[] = []
  for (const stream of [child.stdout!, child.stderr!]) stream.on('data', (chunk: Buffer) => output.push(...chunk.toString().split('\n').filter(Boolean)))
  const exited = new Promise<number | null>(resolve => child.once('exit', code => resolve(code)))
  return { child, output, exited }
}

describe('the compiled output, run as the image runs it', () => {
  it('is built from the current sources', () => {
    // nodeArgsFor brings dist/ up to date (or says it could not); the image compiles the same files.
    const args = nodeArgsFor('main', line => assert.fail(line))
    assert.ok(args.includes('--conditions=gatehouse-dist'), args.join(' '))
  })

  it(`starts in production without an SMS provider when SMS is off, and the HEALTHCHECK script sees it (${REAL_SERVERS ? 'real servers' : 'embedded'})`, async () => {
    const port = await freePort()
    const env = imageEnv(port)
    assert.equal(healthcheck(env), 1, 'nothing listens yet: unhealthy')
    const run = start(env)
    const failedEarly = run.exited.then(code => { throw new Error(`exited with ${code} before it was healthy:\n${run.output.join('\n')}`) })
    await Promise.race([waitFor(() => healthcheck(env) === 0, 180_000, 250), failedEarly])
    assert.equal(healthcheck(env, '/readyz'), 0, 'ready: database, cache and bus answer')
    assert.equal(healthcheck({ ...env, PORT: String(await freePort()) }), 1, 'another port: unhealthy')

    // Every line is JSON with the fields a log shipper keys on.
    const lines = run.output.filter(l => l.startsWith('{')).map(l => JSON.parse(l) as Record<string, unknown>)
    const providers = lines.find(l => l.msg === 'notification providers')
    assert.ok(providers, run.output.join('\n'))
    assert.deepEqual([providers.email, providers.sms, providers.level], ['smtp', 'none', 'info'])
    assert.ok(run.output.every(l => l.startsWith('{')), `only JSON lines:\n${run.output.filter(l => !l.startsWith('{')).join('\n')}`)

    failedEarly.catch(() => undefined)
    run.child.kill('SIGTERM')
    await run.exited
    assert.equal(healthcheck(env), 1, 'stopped: unhealthy')
  })

  it('refuses to start in production without Twilio while SMS is on, naming the way out', async () => {
    const run = start(imageEnv(await freePort(), { SMS_ENABLED: 'true' }))
    assert.equal(await run.exited, 78)
    const errors = run.output.filter(l => l.startsWith('config error:'))
    assert.ok(errors.some(l => /NOTIFY_TWILIO_ACCOUNT_SID and NOTIFY_TWILIO_AUTH_TOKEN are required.*SMS_ENABLED=false for an email-only deployment/.test(l)), run.output.join('\n'))
  })
})
