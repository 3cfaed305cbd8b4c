/**
 * What a newcomer meets in the first ten minutes of `npm start`: a taken port
 * (the gateway's, or an internal service's documented one) and a
 * PUBLIC_URL the console cannot work under are each one clear line; the links
 * in mails follow the gateway's port, at localhost (where passkeys work); a
 * front end on another local port may call the API; and each request is one
 * access line, not one per service it passed.
 */
import { after, before, describe, it } from 'node:test'
import assert from 'node:assert/strict'
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { ConfigError } from '@app/kit/config'
import { createLogger } from '@app/kit/log'
import { SERVICE_PORTS } from '@app/kit/service'
import { freePort, openTestBackends, testEnv, waitFor } from '@app/kit/testing'
import type { TestBackends } from '@app/kit/testing'
import { banner } from '../src/banner.ts'
import { nodeArgsFor } from '../src/compiled.ts'
import { startPlatform } from '../src/platform.ts'
import type { Platform } from '../src/platform.ts'
import { holdPort, isPortFree, tryHoldPort } from '../src/port-check.ts'
import type { HeldPort } from '../src/port-check.ts'
import { runToExit } from './processes.ts'

/** `npm start` in a child with `env` alone (development, embedded, LOG_PRETTY=0), to its end. */
const npmStart = (env: Record<string, string>) => runToExit(nodeArgsFor('main', () => {}), { NODE_ENV: 'development', LOG_PRETTY: '0', ...env })

describe('npm start when the gateway\'s port is taken', () => {
  it('says so in one line, naming PORT, and starts nothing', async (t) => {
    const dataDir = mkdtempSync(join(tmpdir(), 'gatehouse-port-'))
    // Held as another program would hold it (one that serves nothing).
    const holder = await holdPort('127.0.0.1', await freePort())
    t.after(async () => { await holder.release(); rmSync(dataDir, { recursive: true, force: true }) })
    const run = await npmStart({ PORT: String(holder.port), DATA_DIR: dataDir })
    assert.equal(run.code, 78, run.stderr)
    assert.equal(run.stderr, `config error: port ${holder.port} is in use; set PORT=<another port> (e.g. PORT=${holder.port + 10} npm start) or stop the other process\n`)
    assert.equal(run.stdout, '', 'no service started, nothing logged')
    assert.equal(existsSync(join(dataDir, 'pglite')), false, 'no database opened')
  })
})

describe('npm start with a PUBLIC_URL the console cannot work under', () => {
  for (const [bad, says] of [
    ['https://id.example.com/gh/', 'must be the root address of a host'],
    ['https://exa mple.com', 'must be an absolute http(s) URL'],
    ['https://exa_mple.com', 'has no valid host name']
  ] as const) {
    it(`refuses ${bad} in one line naming PUBLIC_URL, and starts nothing`, async (t) => {
      const dataDir = mkdtempSync(join(tmpdir(), 'gatehouse-public-url-'))
      t.after(() => rmSync(dataDir, { recursive: true, force: true }))
      const run = await npmStart({ PORT: String(await freePort()), DATA_DIR: dataDir, PUBLIC_URL: bad })
      assert.equal(run.code, 78, run.stderr)
      const line = run.stderr
      assert.ok(line.startsWith(`config error: PUBLIC_URL ${says}`) && line.endsWith(`(got "${bad}")\n`) && !line.slice(0, -1).includes('\n'), line)
      assert.equal(run.stdout, '', 'no service started, nothing logged')
      assert.equal(existsSync(join(dataDir, 'pglite')), false, 'no database opened')
    })
  }
})

describe('startPlatform in a process that goes on (tests, tools)', () => {
  it('lets go of the gateway\'s port when the start fails after it was held', async (t) => {
    const dataDir = mkdtempSync(join(tmpdir(), 'gatehouse-release-'))
    t.after(() => rmSync(dataDir, { recursive: true, force: true }))
    const log = createLogger('silent')
    const port = await freePort()
    // A refused PUBLIC_URL (checked before the port is held), then a DATA_DIR where the service secret cannot be kept (after).
    await assert.rejects(startPlatform({ env: { PORT: String(port), DATA_DIR: dataDir, PUBLIC_URL: 'https://exa mple.com' }, log }), ConfigError)
    assert.equal(await isPortFree('127.0.0.1', port), true, 'released after a refused PUBLIC_URL')
    const file = join(dataDir, 'a-file')
    writeFileSync(file, '')
    await assert.rejects(startPlatform({ env: { PORT: String(port), DATA_DIR: join(file, 'data') }, log }), { code: 'ENOTDIR' })
    assert.equal(await isPortFree('127.0.0.1', port), true, 'released after an unwritable DATA_DIR')
  })
})

describe('the platform on a chosen port', () => {
  const lines: Array<Record<string, unknown>> = []
  const log = createLogger('info', undefined, { write: (text: string) => { lines.push(JSON.parse(text) as Record<string, unknown>) } })
  let backends: TestBackends
  let platform: Platform
  let gatewayPort: number
  let holder: HeldPort | undefined
  // The user service's documented port, held by "another program" when it is free (else someone already holds it).
  // Other programs on this machine may connect to it meanwhile: the holder cuts them off, so letting go never waits on them.
  const userPort = SERVICE_PORTS.user

  before(async () => {
    backends = await openTestBackends()
    gatewayPort = await freePort()
    holder = await tryHoldPort('127.0.0.1', userPort)
    platform = await startPlatform({
      env: testEnv(backends, { USER_ARGON2_MEMORY_KIB: '1024', USER_ARGON2_TIME_COST: '1', PORT: String(gatewayPort) }),
      log,
      ports: 'fixed',
      shared: { ...(backends.cluster ? { cluster: backends.cluster } : {}), cache: backends.cache.cache, bus: backends.bus.bus }
    })
  })
  after(async () => {
    await platform?.close()
    await holder?.release()
    await backends?.cleanup()
  })

  it('gives an internal service a free port when its documented one is taken, and says so', () => {
    const user = new URL(platform.services.get('user')!.url)
    assert.notEqual(Number(user.port), userPort)
    assert.ok(lines.some(l => l.level === 'warn' && String(l.msg).startsWith(`port ${userPort} is in use; the user service takes port ${user.port}`)))
    assert.equal(platform.gatewayUrl, `http://127.0.0.1:${gatewayPort}`)
  })

  it('sends links that point at this gateway\'s port by name, localhost (PUBLIC_URL\'s default), and shows it in the banner', async () => {
    assert.equal(platform.publicUrl, `http://localhost:${gatewayPort}`)
    const shown = banner(platform, 1000, {})
    assert.match(shown, new RegExp(`Console {5}http://localhost:${gatewayPort}/ `))
    assert.match(shown, new RegExp(`Gateway {5}http://127\\.0\\.0\\.1:${gatewayPort}\n`), 'no "public address" note when PUBLIC_URL is unset')
    const email = `links.${Date.now()}@example.com`
    const res = await fetch(`${platform.gatewayUrl}/api/v1/users/register`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ email, password: 'correct horse battery' }) })
    assert.equal(res.status, 201)
    const mail = await waitFor(async () => {
      const inbox = await (await fetch(`${platform.gatewayUrl}/dev/inbox?to=${encodeURIComponent(email)}`)).json() as { items: Array<{ text: string }> }
      return inbox.items.find(m => m.text.includes('/auth/verify-email'))
    })
    const link = new RegExp(`http://localhost:${gatewayPort}/auth/verify-email\\?token=\\S+`).exec(mail.text)
    assert.ok(link, mail.text)
    // The gateway on 127.0.0.1 answers at localhost.
    assert.equal((await fetch(new URL('/healthz', link[0]))).status, 200)
  })

  it('lets a page on another local port call the API in development (CORS)', async () => {
    for (const origin of ['http://localhost:5173', 'http://127.0.0.1:3000']) {
      const res = await fetch(`${platform.gatewayUrl}/api/v1/auth/login`, {
        method: 'OPTIONS',
        headers: { origin, 'access-control-request-method': 'POST', 'access-control-request-headers': 'content-type' }
      })
      assert.equal(res.headers.get('access-control-allow-origin'), origin, origin)
    }
    const foreign = await fetch(`${platform.gatewayUrl}/api/v1/users/me`, { headers: { origin: 'https://evil.example.com' } })
    assert.equal(foreign.headers.get('access-control-allow-origin'), null)
  })

  it('logs each request once: the gateway\'s line, naming the service that answered', async () => {
    const res = await fetch(`${platform.gatewayUrl}/dev/inbox?limit=1`)
    assert.equal(res.status, 200)
    const id = res.headers.get('x-request-id')
    // The service answers before the gateway does: once the gateway's line is there, the service's would be too.
    await waitFor(() => lines.some(l => l.msg === 'request' && l.requestId === id && l.service === 'gateway'))
    const access = lines.filter(l => l.msg === 'request' && l.requestId === id)
    assert.deepEqual(access.map(l => [l.service, l.status, l.upstream]), [['gateway', 200, 'notification']])
  })
})
