/**
 * What a newcomer meets in the first ten minutes of `npm start`: a taken port
 * is one clear line and nothing started; the links in mails follow the
 * gateway's port; a front end on another local port may call the API; and
 * each request is one access line, not one per service it passed.
 */
import { after, before, describe, it } from 'node:test'
import assert from 'node:assert/strict'
import { spawn } from 'node:child_process'
import { existsSync, mkdtempSync, rmSync } from 'node:fs'
import { createServer } from 'node:net'
import type { Server } from 'node:net'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { createLogger } from '@app/kit/log'
import { SERVICE_PORTS } from '@app/kit/service'
import { freePort, openTestBackends, testEnv, waitFor } from '@app/kit/testing'
import type { TestBackends } from '@app/kit/testing'
import { nodeArgsFor } from '../src/compiled.ts'
import { startPlatform } from '../src/platform.ts'
import type { Platform } from '../src/platform.ts'
import { isPortFree } from '../src/port-check.ts'

const ROOT = fileURLToPath(new URL('../../../', import.meta.url))

/** Holds a port as another program would (all interfaces, like a dev server). */
async function occupy (port: number): Promise<Server> {
  const server = createServer()
  await new Promise<void>((resolve, reject) => server.once('error', reject).listen(port, '127.0.0.1', resolve))
  return server
}

const release = (server: Server) => new Promise<void>(resolve => server.close(() => resolve()))

describe('npm start when the gateway\'s port is taken', () => {
  it('says so in one line, naming PORT, and starts nothing', async (t) => {
    const dataDir = mkdtempSync(join(tmpdir(), 'gatehouse-port-'))
    const port = await freePort()
    const holder = await occupy(port)
    t.after(async () => { await release(holder); rmSync(dataDir, { recursive: true, force: true }) })
    const child = spawn(process.execPath, nodeArgsFor('main', () => {}), {
      cwd: ROOT,
      env: { PATH: process.env.PATH, PORT: String(port), DATA_DIR: dataDir, NODE_ENV: 'development', LOG_PRETTY: '0' },
      stdio: ['ignore', 'pipe', 'pipe']
    })
    const out: string[] = []
    const err: string[] = []
    child.stdout!.on('data', (chunk: Buffer) => out.push(chunk.toString()))
    child.stderr!.on('data', (chunk: Buffer) => err.push(chunk.toString()))
    const code = await new Promise<number | null>(resolve => child.once('exit', resolve))
    assert.equal(code, 78)
    assert.equal(err.join(''), `config error: port ${port} is in use; set PORT=<another port> (e.g. PORT=${port + 10} npm start) or stop the other process\n`)
    assert.equal(out.join(''), '', 'no service started, nothing logged')
    assert.equal(existsSync(join(dataDir, 'pglite')), false, 'no database opened')
  })
})

describe('the platform on a chosen port', () => {
  const lines: Array<Record<string, unknown>> = []
  const log = createLogger('info', undefined, { write: (text: string) => { lines.push(JSON.parse(text) as Record<string, unknown>) } })
  let backends: TestBackends
  let platform: Platform
  let gatewayPort: number
  let holder: Server | undefined
  // The user service's documented port, held by "another program" when it is free (else someone already holds it).
  const userPort = SERVICE_PORTS.user

  before(async () => {
    backends = await openTestBackends()
    gatewayPort = await freePort()
    if (await isPortFree('127.0.0.1', userPort)) holder = await occupy(userPort)
    platform = await startPlatform({
      env: testEnv(backends, { USER_ARGON2_MEMORY_KIB: '1024', USER_ARGON2_TIME_COST: '1', PORT: String(gatewayPort) }),
      log,
      ports: 'fixed',
      shared: { ...(backends.cluster ? { cluster: backends.cluster } : {}), cache: backends.cache.cache, bus: backends.bus.bus }
    })
  })
  after(async () => {
    await platform?.close()
    if (holder) await release(holder)
    await backends.cleanup()
  })

  it('gives an internal service a free port when its documented one is taken, and says so', () => {
    const user = new URL(platform.services.get('user')!.url)
    assert.notEqual(Number(user.port), userPort)
    assert.ok(lines.some(l => l.level === 'warn' && String(l.msg).startsWith(`port ${userPort} is in use; the user service takes port ${user.port}`)))
    assert.equal(platform.gatewayUrl, `http://127.0.0.1:${gatewayPort}`)
  })

  it('sends links that point at this gateway\'s port (PUBLIC_URL\'s default)', async () => {
    assert.equal(platform.publicUrl, `http://127.0.0.1:${gatewayPort}`)
    const email = `links.${Date.now()}@example.com`
    const res = await fetch(`${platform.gatewayUrl}/api/v1/users/register`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ email, password: 'correct horse battery' }) })
    assert.equal(res.status, 201)
    const mail = await waitFor(async () => {
      const inbox = await (await fetch(`${platform.gatewayUrl}/dev/inbox?to=${encodeURIComponent(email)}`)).json() as { items: Array<{ text: string }> }
      return inbox.items.find(m => m.text.includes('/auth/verify-email'))
    })
    assert.match(mail.text, new RegExp(`http://127\\.0\\.0\\.1:${gatewayPort}/auth/verify-email\\?token=`))
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
