/**
 * The testing helpers leave nothing on the real servers when a test goes wrong
 * midway: a service start that fails after migrating, a test process ended by
 * the runner's SIGTERM (a file out of time) before any after hook ran.
 * Embedded, nothing lives outside the process: the same paths run, with
 * nothing recorded.
 */
import { describe, it } from 'node:test'
import assert from 'node:assert/strict'
import { spawn } from 'node:child_process'
import { once } from 'node:events'
import { connect } from 'amqplib'
import { Type } from '@sinclair/typebox'
import { openPostgres } from '../src/db/index.ts'
import { openRedisCache } from '../src/cache/index.ts'
import { defineService } from '../src/service/index.ts'
import { openTestBackends, startTestService } from '../src/testing/index.ts'
import { pendingLeftovers } from '../src/testing/leftovers.ts'

const databaseUrl = process.env.DATABASE_URL
const redisUrl = process.env.REDIS_URL
const amqpUrl = process.env.AMQP_URL

async function schemaExists (schema: string): Promise<boolean> {
  const admin = openPostgres({ url: databaseUrl!, schema: 'public', poolSize: 1 })
  try {
    const { rows } = await admin.query('select 1 from pg_namespace where nspname = $1', [schema])
    return rows.length > 0
  } finally {
    await admin.close()
  }
}

async function redisKeys (prefix: string): Promise<string[]> {
  const cache = await openRedisCache({ url: redisUrl! })
  try {
    return await cache.client.keys(`${prefix}*`)
  } finally {
    await cache.close()
  }
}

async function exchangeExists (exchange: string): Promise<boolean> {
  const connection = await connect(amqpUrl!)
  connection.on('error', () => {})
  try {
    const channel = await connection.createChannel()
    channel.on('error', () => {})
    // A missing exchange closes the channel with 404.
    return await channel.checkExchange(exchange).then(() => true, () => false)
  } finally {
    await connection.close()
  }
}

describe('test backends left by a test that fails midway', () => {
  it('a service whose start fails after its migrations leaves no schema and nothing recorded', async () => {
    const thrown = new Error('setup failed')
    const failing = defineService({
      name: 'order',
      description: 'migrates (the kit tables), then fails its setup',
      configSchema: Type.Object({}),
      async setup () { throw thrown }
    })
    const backends = await openTestBackends()
    try {
      await assert.rejects(startTestService(failing, {}, backends), err => err === thrown)
      if (databaseUrl) assert.equal(await schemaExists(`${backends.schemaPrefix}order`), false, 'the migrated schema is dropped')
    } finally {
      await backends.cleanup()
    }
    assert.deepEqual(pendingLeftovers(), [])
  })

  it('a second instance on the same schema, failed or cleaned up, leaves the first one\'s schema in place', async () => {
    const migrating = (fail: boolean) => defineService({
      name: 'order',
      description: 'migrates (the kit tables); the second one may fail its setup',
      configSchema: Type.Object({}),
      async setup () { if (fail) throw new Error('setup failed') }
    })
    const first = await startTestService(migrating(false))
    const schema = `${first.backends.schemaPrefix}order`
    try {
      await assert.rejects(startTestService(migrating(true), {}, first.backends), /setup failed/)
      const second = await startTestService(migrating(false), {}, first.backends)
      await second.cleanup()
      // The first instance still reads its own tables.
      assert.equal((await first.ctx.db.query('select count(*)::int as n from outbox')).rows.length, 1)
      if (databaseUrl) assert.equal(await schemaExists(schema), true, 'the first instance\'s schema is kept')
    } finally {
      await first.cleanup()
    }
    if (databaseUrl) assert.equal(await schemaExists(schema), false, 'dropped with the last instance')
    assert.deepEqual(pendingLeftovers(), [])
  })

  it('a test process ended by SIGTERM removes its schema, keys and exchanges before it exits', async () => {
    const testing = new URL('../src/testing/index.ts', import.meta.url).href
    const db = new URL('../src/db/index.ts', import.meta.url).href
    // Opens what a test file would, then hangs as one that runs out of time does.
    const script = `
      const { openTestBackends, openTestDb } = await import(${JSON.stringify(testing)})
      const { migrate, KIT_MIGRATIONS } = await import(${JSON.stringify(db)})
      const t = await openTestDb('sigterm')
      await migrate(t.db, [KIT_MIGRATIONS])
      const backends = await openTestBackends()
      await backends.cache.cache.set('left', '1')
      console.log(JSON.stringify({ schema: t.db.schema, cache: backends.cache.prefix ?? null, exchanges: backends.bus.bus.topology?.().exchanges ?? [] }))
      setInterval(() => {}, 60_000)
    `
    const child = spawn(process.execPath, ['--import', 'tsx', '--input-type=module', '-e', script], { stdio: ['ignore', 'pipe', 'pipe'] })
    let stderr = ''
    child.stderr.setEncoding('utf8').on('data', (chunk: string) => { stderr += chunk })
    const exited = once(child, 'exit')
    const [line] = await once(child.stdout.setEncoding('utf8'), 'data') as [string]
    const opened = JSON.parse(line) as { schema: string, cache: string | null, exchanges: string[] }
    if (databaseUrl) assert.equal(await schemaExists(opened.schema), true)
    if (opened.cache) assert.notDeepEqual(await redisKeys(opened.cache), [])
    for (const exchange of opened.exchanges) assert.equal(await exchangeExists(exchange), true)

    child.kill('SIGTERM')
    const [code, signal] = await exited as [number | null, string | null]
    if (databaseUrl || redisUrl || amqpUrl) {
      assert.equal(code, 143, stderr)
      assert.match(stderr, /testing: removed/)
    } else {
      // Nothing recorded embedded: the default action of the signal.
      assert.equal(signal, 'SIGTERM', stderr)
    }
    if (databaseUrl) assert.equal(await schemaExists(opened.schema), false, stderr)
    if (opened.cache) assert.deepEqual(await redisKeys(opened.cache), [], stderr)
    for (const exchange of opened.exchanges) assert.equal(await exchangeExists(exchange), false, stderr)
  })
})
