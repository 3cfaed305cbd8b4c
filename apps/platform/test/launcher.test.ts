import { describe, it } from 'node:test'
import assert from 'node:assert/strict'
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { createLogger } from '@app/kit/log'
import { removeProcessRun, TEST_SERVICE_SECRET, uniqueName, waitFor } from '@app/kit/testing'
import { startPlatform } from '../src/platform.ts'
import { startSeparate } from '../src/separate.ts'
import { loadServices } from '../src/services.ts'
import { SERVICE_PORTS } from '@app/kit/service'

const log = createLogger('silent')
const CHEAP = { USER_ARGON2_MEMORY_KIB: '1024', USER_ARGON2_TIME_COST: '1', NODE_ENV: 'test' }

async function register (gatewayUrl: string, email: string) {
  return fetch(`${gatewayUrl}/api/v1/users/register`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ email, password: 'correct horse battery' })
  })
}

describe('the launcher', () => {
  it('keeps embedded data across a restart', async (t) => {
    const dataDir = mkdtempSync(join(tmpdir(), 'gatehouse-data-'))
    t.after(() => rmSync(dataDir, { recursive: true, force: true }))
    // Embedded on purpose, whatever the environment says: this is what `npm start` does on a laptop.
    const env = { ...CHEAP, DATA_DIR: dataDir, SERVICE_SECRET: TEST_SERVICE_SECRET }
    const email = `persist.${Date.now()}@example.com`

    const first = await startPlatform({ env, log, ports: 'auto' })
    try {
      assert.equal(first.backends.db, `PGlite in ${join(dataDir, 'pglite')}`)
      assert.equal((await register(first.gatewayUrl, email)).status, 201)
    } finally {
      await first.close()
    }

    const second = await startPlatform({ env, log, ports: 'auto' })
    try {
      const again = await register(second.gatewayUrl, email)
      assert.equal(again.status, 409, 'the user registered before the restart is still there')
    } finally {
      await second.close()
    }
  })

  it('runs every service as its own process on the real servers (npm run start:services)', { skip: !(process.env.DATABASE_URL && process.env.REDIS_URL && process.env.AMQP_URL) && 'needs DATABASE_URL, REDIS_URL and AMQP_URL' }, async (t) => {
    const prefix = uniqueName('sep')
    const offset = 20_000 + Math.floor(Math.random() * 400) * 10
    const env = {
      ...process.env,
      ...CHEAP,
      LOG_LEVEL: 'warn',
      DB_SCHEMA_PREFIX: `${prefix}_`,
      CACHE_PREFIX: `${prefix}:`,
      BUS_PREFIX: `${prefix}.`,
      SERVICE_PORT_OFFSET: String(offset),
      BUS_RETRY_BASE_MS: '50',
      BUS_MAX_ATTEMPTS: '3',
      // Each child deletes the queues and exchanges it declared when it stops.
      BUS_EPHEMERAL: 'true'
    }
    const SERVICES = await loadServices()
    const output: string[] = []
    const { children, stop } = startSeparate(env, line => output.push(line))
    t.after(async () => {
      await stop()
      await removeProcessRun(prefix, SERVICES.filter(s => !s.stateless).map(s => s.name), process.env.DATABASE_URL!, process.env.REDIS_URL!)
    })
    assert.equal(children.length, SERVICES.length)
    const gatewayUrl = `http://127.0.0.1:${8080 + offset}`
    // Nine processes starting together take minutes on a loaded machine: a bound on a hang, not an expectation.
    await waitFor(async () => {
      const ready = await Promise.all(SERVICES.map(({ name }) =>
        fetch(`http://127.0.0.1:${SERVICE_PORTS[name] + offset}/readyz`).then(r => r.ok, () => false)))
      return ready.every(Boolean)
    }, 180_000, 200).catch((err) => { throw new Error(`${err}\n${output.join('\n')}`) })

    const email = `separate.${Date.now()}@example.com`
    assert.equal((await register(gatewayUrl, email)).status, 201)
    const welcomes = async () => {
      const res = await fetch(`${gatewayUrl}/dev/inbox?to=${encodeURIComponent(email)}`)
      const body = await res.json() as { items: Array<{ subject: string | null }> }
      return body.items.filter(m => m.subject?.startsWith('Welcome'))
    }
    await waitFor(async () => (await welcomes()).length > 0, 60_000, 100)
    await new Promise(resolve => setTimeout(resolve, 500))
    assert.equal((await welcomes()).length, 1, 'user.registered crossed from the user process to the notification process exactly once')
    assert.ok(children.every(c => c.exitCode === null), output.join('\n'))
  })
})
