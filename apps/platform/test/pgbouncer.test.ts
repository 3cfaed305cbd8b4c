/**
 * DB_PGBOUNCER=true against a real PgBouncer in transaction mode in front of
 * the local PostgreSQL: the order service's migrations, queries and
 * transactions, with server connections shared by clients of other schemas.
 */
import { after, before, describe, it } from 'node:test'
import assert from 'node:assert/strict'
import { spawn, spawnSync } from 'node:child_process'
import type { ChildProcess } from 'node:child_process'
import { chmodSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { once } from 'node:events'
import pg from 'pg'
import { BaseConfigSchema, loadConfig } from '@app/kit/config'
import { connectionsStartIn, openPostgres, quoteIdent } from '@app/kit/db'
import type { Db } from '@app/kit/db'
import { openMigratedDb } from '@app/kit/service'
import type { ServiceDefinition } from '@app/kit/service'
import { freePort, uniqueName } from '@app/kit/testing'
import { orderService } from '@app/order'
import type { TObject } from '@sinclair/typebox'

const PGBOUNCER = ['pgbouncer', '/usr/sbin/pgbouncer'].find(bin => !spawnSync(bin, ['--version']).error)
const upstream = new URL(process.env.DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/test')
const order = orderService as unknown as ServiceDefinition<TObject>
const prefix = uniqueName('pgb')
const schemaA = `${prefix}_a_order`
const schemaB = `${prefix}_b_order`

/** PgBouncer on a free port: `plain` leaves search_path alone, `pinned` starts every server connection in schema B. */
async function startPgbouncer (dir: string): Promise<{ child: ChildProcess, url: (db: string) => string }> {
  const port = await freePort()
  const user = decodeURIComponent(upstream.username || 'postgres')
  const server = `host=${upstream.hostname} port=${upstream.port || 5432} dbname=${upstream.pathname.slice(1)}`
  writeFileSync(join(dir, 'users.txt'), `"${user}" "${decodeURIComponent(upstream.password)}"\n`)
  writeFileSync(join(dir, 'pgbouncer.ini'), [
    '[databases]',
    `plain = ${server}`,
    `pinned = ${server} connect_query='set search_path to ${quoteIdent(schemaB)}'`,
    '[pgbouncer]',
    'listen_addr = 127.0.0.1',
    `listen_port = ${port}`,
    'unix_socket_dir =',
    'auth_type = trust',
    `auth_file = ${join(dir, 'users.txt')}`,
    'pool_mode = transaction',
    // Fewer server connections than clients: every one serves several schemas in turn.
    'default_pool_size = 2',
    'max_client_conn = 200'
  ].join('\n') + '\n')
  chmodSync(dir, 0o755)
  // PgBouncer refuses to run as root; CI containers often are.
  const asUser = process.getuid?.() === 0 ? ['-u', 'nobody'] : []
  const child = spawn(PGBOUNCER!, [...asUser, join(dir, 'pgbouncer.ini')], { stdio: ['ignore', 'pipe', 'pipe'] })
  let log = ''
  await new Promise<void>((resolve, reject) => {
    const onData = (chunk: Buffer) => {
      log += chunk.toString()
      if (log.includes(`listening on 127.0.0.1:${port}`)) resolve()
    }
    child.stdout!.on('data', onData)
    child.stderr!.on('data', onData)
    child.once('exit', code => reject(new Error(`pgbouncer exited with ${code}:\n${log}`)))
  })
  const auth = upstream.username ? `${upstream.username}${upstream.password ? `:${upstream.password}` : ''}@` : 'postgres@'
  return { child, url: db => `postgres://${auth}127.0.0.1:${port}/${db}` }
}

const configFor = (url: string, schemaPrefix: string) =>
  loadConfig(BaseConfigSchema, { DATABASE_URL: url, DB_PGBOUNCER: 'true', DB_SCHEMA_PREFIX: schemaPrefix, SERVICE_INSTANCES: '4' })

const countOrders = async (db: Db) => Number((await db.query<{ n: string }>('select count(*) as n from orders')).rows[0]!.n)

async function insertOrder (db: Db, fail = false): Promise<void> {
  await db.tx(async (tx) => {
    const id = crypto.randomUUID()
    await tx.query('insert into orders (id, user_id, currency, total, created_at) values ($1, $2, $3, $4, now())', [id, crypto.randomUUID(), 'EUR', 100])
    await tx.query('insert into order_items (order_id, position, sku, quantity, unit_price) values ($1, 0, $2, 1, 100)', [id, 'sku-1'])
    if (fail) throw new Error('rolled back on purpose')
  })
}

describe('through PgBouncer in transaction mode', { skip: PGBOUNCER ? false : 'the pgbouncer binary is not installed (apt-get install pgbouncer)' }, () => {
  const dir = mkdtempSync(join(tmpdir(), 'gatehouse-pgbouncer-'))
  let bouncer: Awaited<ReturnType<typeof startPgbouncer>>
  const opened: Db[] = []

  before(async () => { bouncer = await startPgbouncer(dir) })

  after(async () => {
    for (const db of opened) await db.close().catch(() => {})
    const admin = openPostgres({ url: upstream.href, schema: 'public', poolSize: 1 })
    for (const schema of [schemaA, schemaB]) await admin.query(`drop schema if exists ${quoteIdent(schema)} cascade`)
    await admin.close()
    if (bouncer && bouncer.child.exitCode === null) {
      bouncer.child.kill('SIGTERM')
      await once(bouncer.child, 'exit')
    }
    rmSync(dir, { recursive: true, force: true })
  })

  it('refuses the search_path startup option, which DB_PGBOUNCER leaves out', async () => {
    const client = new pg.Client({ connectionString: bouncer.url('plain'), options: `-c search_path=${quoteIdent(schemaA)}` })
    client.on('error', () => {})
    await assert.rejects(client.connect(), /unsupported startup parameter: options/)
    await client.end().catch(() => {})
  })

  it('migrates the order service once, with the migration lock held per transaction', async () => {
    const config = configFor(bouncer.url('plain'), `${prefix}_a_`)
    const [first, second] = await Promise.all([openMigratedDb(order, config), openMigratedDb(order, config)])
    opened.push(first.db, second.db)
    assert.deepEqual([first.applied.length > 0, second.applied.length > 0].sort(), [false, true], 'exactly one instance applies the migrations')
    assert.deepEqual((await openMigratedDb(order, config).then(({ db, applied }) => { opened.push(db); return applied })), [])
  })

  it('keeps each schema\'s statements and transactions apart on shared server connections', async () => {
    const a = (await openMigratedDb(order, configFor(bouncer.url('plain'), `${prefix}_a_`))).db
    const b = (await openMigratedDb(order, configFor(bouncer.url('pinned'), `${prefix}_b_`))).db
    opened.push(a, b)
    // A session-level SET leaks onto whichever server connection ran it: a neighbour that is not careful.
    const careless = new pg.Client({ connectionString: bouncer.url('plain') })
    await careless.connect()
    await careless.query('set search_path to public')
    await careless.end()

    const before = { a: await countOrders(a), b: await countOrders(b) }
    await Promise.all([
      ...Array.from({ length: 10 }, () => insertOrder(a)),
      ...Array.from({ length: 4 }, () => insertOrder(b)),
      ...Array.from({ length: 5 }, () => assert.rejects(insertOrder(a, true), /on purpose/))
    ])
    assert.equal(await countOrders(a), before.a + 10)
    assert.equal(await countOrders(b), before.b + 4)
    const items = await a.query<{ n: string }>('select count(*) as n from order_items')
    assert.equal(Number(items.rows[0]!.n), before.a + 10, 'a rolled-back transaction left no line behind')
  })

  it('runs statements as they are when the connections already start in the schema', async () => {
    const pinned = openPostgres({ url: bouncer.url('pinned'), schema: schemaB, poolSize: 1, noStartupSchema: true })
    const plain = openPostgres({ url: bouncer.url('plain'), schema: schemaA, poolSize: 1, noStartupSchema: true })
    opened.push(pinned, plain)
    assert.equal(await connectionsStartIn(pinned, schemaB), true)
    assert.equal(await connectionsStartIn(plain, schemaA), false)
  })
})
