/**
 * A start that fails (its port taken, a setup that throws) closes everything
 * it had opened before rethrowing: a process that goes on (tests, the
 * all-in-one launcher) keeps no pool, connection, consumer or hook of it.
 * Embedded, the cluster is the test's (a service only lets go of its view);
 * on the real servers the service's own pool, Redis connection and broker
 * connection are checked too.
 */
import { after, before, describe, it } from 'node:test'
import assert from 'node:assert/strict'
import { createServer } from 'node:net'
import type { AddressInfo, Server } from 'node:net'
import { Type } from '@sinclair/typebox'
import type { RedisCache } from '../src/cache/index.ts'
import { openPostgres, quoteIdent } from '../src/db/index.ts'
import type { PgliteCluster } from '../src/db/index.ts'
import { createLogger } from '../src/log/index.ts'
import { defineService, startService } from '../src/service/index.ts'
import type { ServiceContext } from '../src/service/index.ts'
import { openTestCluster, TEST_SERVICE_SECRET, uniqueName } from '../src/testing/index.ts'

const prefix = uniqueName('startfail')
let cluster: PgliteCluster | undefined

before(async () => { if (!process.env.DATABASE_URL) cluster = await openTestCluster() })
after(async () => {
  await cluster?.close()
  if (!process.env.DATABASE_URL) return
  const admin = openPostgres({ url: process.env.DATABASE_URL, schema: 'public', poolSize: 1 })
  try {
    await admin.query(`drop schema if exists ${quoteIdent(`${prefix}_order`)} cascade`)
  } finally {
    await admin.close()
  }
})

/** A port another program holds. */
async function takenPort (): Promise<{ port: number, holder: Server }> {
  const holder = createServer()
  await new Promise<void>((resolve, reject) => holder.once('error', reject).listen(0, '127.0.0.1', resolve))
  return { port: (holder.address() as AddressInfo).port, holder }
}

const release = (server: Server) => new Promise<void>(resolve => server.close(() => resolve()))

/**
 * Starts a stateful service that opens its own cache and bus (nothing shared
 * but the embedded cluster), subscribes a consumer and registers a close hook;
 * `setupFails` makes its setup throw after that.
 */
async function startProbe (port: number, setupFails?: Error) {
  const seen: { ctx?: ServiceContext<unknown>, hookRan: boolean } = { hookRan: false }
  const definition = defineService({
    name: 'order',
    description: 'a probe whose start fails',
    configSchema: Type.Object({}),
    async setup (_app, ctx) {
      seen.ctx = ctx
      await ctx.consume({ name: 'probe', bindings: ['order.created'] }, async () => {})
      ctx.onClose(async () => { seen.hookRan = true })
      if (setupFails) throw setupFails
    }
  })
  const env = {
    NODE_ENV: 'test',
    SERVICE_SECRET: TEST_SERVICE_SECRET,
    DATABASE_URL: process.env.DATABASE_URL,
    REDIS_URL: process.env.REDIS_URL,
    AMQP_URL: process.env.AMQP_URL,
    DB_SCHEMA_PREFIX: `${prefix}_`,
    CACHE_PREFIX: `${prefix}:`,
    BUS_PREFIX: `${prefix}.`,
    // The broker's queues of the probe are deleted by its close path too.
    BUS_EPHEMERAL: 'true'
  }
  const started = startService(definition, { env, shared: cluster ? { cluster } : {}, log: createLogger('silent'), port })
  return { started, seen }
}

/** What the failed start had opened is closed: positive signals only, read once the start has rejected. */
function assertReleased (seen: { ctx?: ServiceContext<unknown>, hookRan: boolean }) {
  const ctx = seen.ctx
  assert.ok(ctx, 'the setup ran, so the backends had been opened')
  assert.equal(seen.hookRan, true, 'its onClose hook ran')
  assert.equal(ctx.bus.isConnected(), false, 'its bus is closed')
  if (ctx.cache.shared.kind === 'redis') assert.equal((ctx.cache.shared as RedisCache).client.status, 'end', 'its Redis connection is closed')
  return ctx
}

describe('a service whose start fails', () => {
  it('on a taken port: closes what it opened, then rejects with the listen error', async (t) => {
    const { port, holder } = await takenPort()
    t.after(() => release(holder))
    const { started, seen } = await startProbe(port)
    await assert.rejects(started, (err: NodeJS.ErrnoException & { port?: number }) => err.code === 'EADDRINUSE' && err.port === port)
    const ctx = assertReleased(seen)
    if (ctx.db.kind === 'postgres') await assert.rejects(ctx.db.query('select 1'), /pool after calling end/, 'its pool is ended')
  })

  it('in its setup: closes what it opened, then rejects with the setup\'s error', async () => {
    const thrown = new Error('setup failed')
    const { started, seen } = await startProbe(0, thrown)
    await assert.rejects(started, err => err === thrown)
    const ctx = assertReleased(seen)
    if (ctx.db.kind === 'postgres') await assert.rejects(ctx.db.query('select 1'), /pool after calling end/, 'its pool is ended')
  })
})
